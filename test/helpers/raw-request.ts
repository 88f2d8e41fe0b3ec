// One plain request to a test sim, outside any client library's reading of the answer: the server and
// credentials of its kubeconfig applied as client-node applies them (the one place to change for another transport).
import {HttpMethod, RequestContext} from '@kubernetes/client-node';
import {fetch} from 'undici';
import {KubeClient} from '../../source/kube/client.js';
import type {TestSim} from './sim.js';

export type RawInit = {method?: 'GET' | 'POST' | 'PUT'; headers?: Record<string, string>; body?: string | Uint8Array};

export async function rawRequest(t: TestSim, path: string, init: RawInit = {}): Promise<{status: number; contentType: string; text: string; json: () => any}> {
	const client = KubeClient.load({kubeconfig: t.kubeconfigPath});
	try {
		const url = client.server.replace(/\/$/, '') + path;
		const method = init.method ?? 'GET';
		const ctx = new RequestContext(url, HttpMethod[method]);
		await client.config.applySecurityAuthentication(ctx);
		const res = await fetch(url, {method, headers: {...ctx.getHeaders(), ...init.headers}, body: init.body, dispatcher: ctx.getDispatcher() as any});
		const text = await res.text();
		return {status: res.status, contentType: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text)};
	} finally {
		void client.close();
	}
}
