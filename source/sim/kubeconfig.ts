// The kubeconfig the sim writes: the sim's CA, and one context per user. `rollscope-sim` (admin, by token, the
// current one) may do anything, `rollscope-sim-viewer` (by token) only reads, `rollscope-sim-deployer` (by client
// certificate) writes only in its namespace. Over plain HTTP, one admin context without credentials.
import {stringify} from 'yaml';
import type {SimCredentials} from './credentials.js';

/** The contexts of the kubeconfig, by user. */
export const simContexts = {admin: 'rollscope-sim', viewer: 'rollscope-sim-viewer', deployer: 'rollscope-sim-deployer'} as const;

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function simKubeconfig(url: string, credentials: SimCredentials, namespace = 'default'): string {
	const cluster = 'rollscope-sim';
	if (url.startsWith('http:')) {
		return stringify({
			apiVersion: 'v1',
			kind: 'Config',
			preferences: {},
			clusters: [{name: cluster, cluster: {server: url, 'insecure-skip-tls-verify': true}}],
			users: [{name: 'rollscope-admin', user: {}}],
			contexts: [{name: simContexts.admin, context: {cluster, user: 'rollscope-admin', namespace}}],
			'current-context': simContexts.admin,
		});
	}
	const token = (name: string) => credentials.accounts.find(a => a.name === name)!.token;
	const deployer = credentials.clientCertificates.deployer!;
	const users = [
		{name: 'rollscope-admin', user: {token: token('admin')}},
		{name: 'rollscope-viewer', user: {token: token('viewer')}},
		{name: 'rollscope-deployer', user: {'client-certificate-data': base64(deployer.cert), 'client-key-data': base64(deployer.key)}},
	];
	return stringify({
		apiVersion: 'v1',
		kind: 'Config',
		preferences: {},
		clusters: [{name: cluster, cluster: {server: url, 'certificate-authority-data': base64(credentials.ca.cert)}}],
		users,
		contexts: [
			{name: simContexts.admin, context: {cluster, user: 'rollscope-admin', namespace}},
			{name: simContexts.viewer, context: {cluster, user: 'rollscope-viewer', namespace}},
			{name: simContexts.deployer, context: {cluster, user: 'rollscope-deployer', namespace}},
		],
		'current-context': simContexts.admin,
	});
}
