// Who is calling the simulated cluster and what they may do, decided as kube-apiserver decides it: a client
// certificate signed by the sim's client CA (user from CN, groups from O) or a bearer token names the user; each
// user may read everything and write where its account says. Browsers are kept out by Origin and Host.
import {createHash, timingSafeEqual} from 'node:crypto';
import type http from 'node:http';
import type {TLSSocket} from 'node:tls';

export type User = {name: string; groups: string[]};

/** A user of the sim, what it may read (get, list, watch) and where it may write. */
export type Account = {
	name: string;
	groups: string[];
	/** Namespaces the user may write in; '*' is everywhere, cluster-scoped objects included. */
	writes: '*' | string[];
	/**
	 * The API groups the user may read ('' the core group); absent, every one. A namespaced Role often grants
	 * the core and apps groups and not the CRDs' groups the cluster serves besides.
	 */
	reads?: string[];
	token: string;
};

/** The three users: admin may do anything, viewer only reads, deployer writes only in `deployerNamespace`. */
export function simAccounts(deployerNamespace: string, newToken: () => string): Account[] {
	return [
		{name: 'admin', groups: ['system:masters'], writes: '*', token: newToken()},
		{name: 'viewer', groups: ['rollscope:viewers'], writes: [], token: newToken()},
		{name: 'deployer', groups: ['rollscope:deployers'], writes: [deployerNamespace], token: newToken()},
	];
}

/** The user an account signs in as: its groups, and system:authenticated as every signed-in user has. */
export function userOf(account: Account): User {
	return {name: account.name, groups: [...account.groups, 'system:authenticated']};
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The user a request speaks for: from a verified client certificate, else from a bearer token; 'anonymous'
 * when it carries neither, 'unauthorized' when what it carries is not valid.
 */
export function authenticate(req: http.IncomingMessage, accounts: readonly Account[]): User | 'anonymous' | 'unauthorized' {
	let presented = false;
	const socket = req.socket as Partial<TLSSocket>;
	if (socket.encrypted && typeof socket.getPeerCertificate === 'function') {
		const peer = socket.getPeerCertificate();
		if (peer && Object.keys(peer).length > 0) {
			presented = true;
			const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
			const name = first(peer.subject?.CN);
			if (socket.authorized && name) {
				const o = peer.subject?.O;
				const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
				return {name, groups: [...groups, 'system:authenticated']};
			}
		}
	}
	const header = req.headers.authorization;
	const bearer = header === undefined ? undefined : /^bearer\s+(\S+)\s*$/i.exec(header);
	if (bearer) {
		presented = true;
		const given = digest(bearer[1]!);
		const account = accounts.find(a => timingSafeEqual(digest(a.token), given));
		if (account) return userOf(account);
	}
	return presented ? 'unauthorized' : 'anonymous';
}

/** What a request (or an access review) asks to do. */
export type Access = {verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string};

export type Decision = {allowed: boolean; reason: string};

const readVerbs = new Set(['get', 'list', 'watch']);
/** What kube-apiserver's system:basic-user role lets every authenticated user do. */
const selfReviews = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export function authorize(accounts: readonly Account[], user: User, access: Access): Decision {
	if (access.verb === 'create' && selfReviews.has(access.resource) && ['authorization.k8s.io', 'authentication.k8s.io'].includes(access.group)) {
		return {allowed: true, reason: 'every authenticated user may ask who they are and what they may do'};
	}
	if (user.groups.includes('system:masters')) return {allowed: true, reason: `user "${user.name}" is in the group system:masters`};
	const account = accounts.find(a => a.name === user.name);
	if (!account) return {allowed: false, reason: `user "${user.name}" has no rights in this cluster`};
	if (readVerbs.has(access.verb)) {
		if (!account.reads) return {allowed: true, reason: `user "${user.name}" may read everything`};
		if (account.reads.includes(access.group)) return {allowed: true, reason: `user "${user.name}" may read the API group "${access.group}"`};
		return {allowed: false, reason: `user "${user.name}" may read only the API groups ${account.reads.map(g => `"${g}"`).join(', ')}`};
	}
	if (account.writes === '*') return {allowed: true, reason: `user "${user.name}" may write everywhere`};
	if (account.writes.length === 0) return {allowed: false, reason: `user "${user.name}" may only read`};
	const where = account.writes.map(ns => `"${ns}"`).join(', ');
	if (access.namespace && account.writes.includes(access.namespace)) return {allowed: true, reason: `user "${user.name}" may write in the namespace ${where}`};
	return {allowed: false, reason: `user "${user.name}" may write only in the namespace ${where}`};
}

/** Paths any authenticated user may GET, as kube-apiserver's system:discovery and system:public-info-viewer roles allow. */
const discoveryPath = /^\/(api|apis|openapi|version|healthz|readyz|livez)(\/|$)/;

export function authorizePath(user: User, verb: string, path: string): Decision {
	if (user.groups.includes('system:masters')) return {allowed: true, reason: `user "${user.name}" is in the group system:masters`};
	if (verb === 'get' && discoveryPath.test(path)) return {allowed: true, reason: 'every authenticated user may read discovery, health and version'};
	return {allowed: false, reason: `user "${user.name}" may not ${verb} the path "${path}"`};
}

const loopbackHost = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

/** The host a request names: Host over HTTP/1.1, the :authority pseudo-header over HTTP/2. */
export function requestHost(headers: http.IncomingHttpHeaders): string | undefined {
	return headers.host ?? (headers[':authority'] as string | undefined);
}

/**
 * Why a request from a web page is refused, or undefined: a browser sends an Origin on cross-site requests,
 * and a DNS-rebound page sends its own name as Host. The sim serves this machine's programs only, by a
 * loopback address or one of `hostNames` (names it was told it is reached by).
 */
export function browserRefusal(headers: http.IncomingHttpHeaders, hostNames: readonly string[] = []): string | undefined {
	const host = requestHost(headers);
	const named = host !== undefined && hostNames.some(name => host.toLowerCase().replace(/:\d{1,5}$/, '') === name.toLowerCase());
	if (host !== undefined && !named && !loopbackHost.test(host)) return `the Host "${host}" is not a loopback address; the simulated cluster serves only this machine`;
	const origin = headers.origin;
	if (origin === undefined) return undefined;
	let parsed: URL | undefined;
	try {
		parsed = new URL(origin);
	} catch {
		parsed = undefined;
	}
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !loopbackHost.test(parsed.host)) {
		return `requests from web pages are refused: the Origin "${origin}" is not a loopback origin`;
	}
	return undefined;
}
