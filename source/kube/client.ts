// The one door to the Kubernetes API. Configuration, authentication (tokens, client certificates,
// exec plugins) and TLS come from @kubernetes/client-node; objects stay plain JSON.
import {existsSync} from 'node:fs';
import {HttpMethod, KubeConfig, RequestContext, Watch} from '@kubernetes/client-node';
import {fetch} from 'undici';
import type {KObject} from './object.js';
import {fromResponse, KubeError, toKubeError} from './errors.js';

export type ClientOptions = {kubeconfig?: string; context?: string; namespace?: string};

export type WatchEvent = {type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: any};

export class KubeClient {
	readonly context: string;
	readonly namespace: string;
	readonly server: string;
	readonly user: string;

	constructor(
		readonly config: KubeConfig,
		namespace?: string,
	) {
		this.context = config.getCurrentContext();
		const ctx = config.getContextObject(this.context);
		this.namespace = namespace || ctx?.namespace || 'default';
		this.server = config.getCurrentCluster()?.server ?? '';
		this.user = config.getCurrentUser()?.name ?? 'unknown';
	}

	/** Load a kubeconfig as kubectl would; throws an Error with a message fit for the user. */
	static load(options: ClientOptions = {}): KubeClient {
		const kc = new KubeConfig();
		try {
			if (options.kubeconfig) {
				if (!existsSync(options.kubeconfig)) throw new Error(`kubeconfig ${options.kubeconfig} does not exist`);
				kc.loadFromFile(options.kubeconfig);
			} else {
				kc.loadFromDefault();
			}
		} catch (error) {
			throw new Error(`cannot read the kubeconfig: ${(error as Error).message.split('\n')[0]}`);
		}
		if (options.context) {
			if (!kc.getContextObject(options.context)) {
				throw new Error(`context "${options.context}" is not in the kubeconfig; it has: ${kc.getContexts().map(c => c.name).join(', ') || 'none'}`);
			}
			kc.setCurrentContext(options.context);
		}
		const cluster = kc.getCurrentCluster();
		if (!cluster?.server) throw new Error('the kubeconfig has no current context with a cluster server; set one with kubectl config use-context');
		try {
			new URL(cluster.server);
		} catch {
			throw new Error(`the kubeconfig's server "${cluster.server}" is not a URL`);
		}
		return new KubeClient(kc, options.namespace);
	}

	/** A client for a kubeconfig given as text (the embedded sim's). */
	static fromString(kubeconfig: string, namespace?: string): KubeClient {
		const kc = new KubeConfig();
		kc.loadFromString(kubeconfig);
		return new KubeClient(kc, namespace);
	}

	/** One request; answers parsed JSON, throws KubeError. */
	async request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: {query?: Record<string, string | undefined>; body?: unknown; contentType?: string} = {}): Promise<any> {
		const url = new URL(this.server.replace(/\/$/, '') + path);
		for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
		const ctx = new RequestContext(url.toString(), HttpMethod[method]);
		let response;
		try {
			await this.config.applySecurityAuthentication(ctx);
			const headers: Record<string, string> = {...ctx.getHeaders(), Accept: 'application/json'};
			if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
			response = await fetch(url, {
				method,
				headers,
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
				dispatcher: ctx.getDispatcher() as any,
				signal: AbortSignal.timeout(30_000),
			});
		} catch (error) {
			throw toKubeError(error);
		}
		const text = await response.text();
		if (response.status >= 400) throw fromResponse(response.status, text);
		try {
			return JSON.parse(text);
		} catch {
			throw new KubeError(response.status, 'BadResponse', `the API server answered ${path} with something that is not JSON`);
		}
	}

	async list(path: string, query: Record<string, string | undefined> = {}): Promise<{items: KObject[]; resourceVersion: string}> {
		const items: KObject[] = [];
		let cont: string | undefined;
		let resourceVersion = '';
		do {
			const page = await this.request('GET', path, {query: {...query, limit: '500', continue: cont}});
			items.push(...(page.items ?? []));
			resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
			cont = page.metadata?.continue || undefined;
		} while (cont);
		return {items, resourceVersion};
	}

	/** A watch stream through client-node's Watch. `done` is called once when it ends. */
	watch(path: string, query: Record<string, string | undefined>, onEvent: (e: WatchEvent) => void, done: (error: unknown) => void): Promise<AbortController> {
		const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
		return new Watch(this.config).watch(path, clean, (type, object) => onEvent({type: type as WatchEvent['type'], object}), done);
	}

	/** Which API group-versions the server serves (e.g. 'networking.istio.io/v1'). */
	async groupVersions(): Promise<Set<string>> {
		const apis = await this.request('GET', '/apis');
		return new Set<string>(['v1', ...(apis.groups ?? []).flatMap((g: any) => (g.versions ?? []).map((v: any) => v.groupVersion))]);
	}
}
