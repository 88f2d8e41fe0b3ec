// The kubeconfig the sim writes: `rollscope-sim` may do anything, `rollscope-sim-viewer` only reads.
import {stringify} from 'yaml';
import {simUsers} from './auth.js';

export function simKubeconfig(url: string, namespace = 'default'): string {
	const cluster = (server: string) => ({server, 'insecure-skip-tls-verify': true});
	return stringify({
		apiVersion: 'v1',
		kind: 'Config',
		preferences: {},
		clusters: [
			{name: 'rollscope-sim', cluster: cluster(url)},
			{name: 'rollscope-sim-viewer', cluster: cluster(url + simUsers.viewer.pathPrefix)},
		],
		users: [
			{name: 'rollscope-admin', user: {}},
			{name: 'rollscope-viewer', user: {}},
		],
		contexts: [
			{name: 'rollscope-sim', context: {cluster: 'rollscope-sim', user: 'rollscope-admin', namespace}},
			{name: 'rollscope-sim-viewer', context: {cluster: 'rollscope-sim-viewer', user: 'rollscope-viewer', namespace}},
		],
		'current-context': 'rollscope-sim',
	});
}
