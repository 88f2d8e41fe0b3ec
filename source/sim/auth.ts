// Who is calling the simulated cluster and what they may do.
// kubectl (client-go) sends no bearer token over plain HTTP, so the sim tells its two users apart
// by the server URL of their kubeconfig context: `/viewer` is the read-only user, the root is the
// admin. The sim binds to loopback only; it is for the machine it runs on.

export type User = {name: string; canWrite: boolean};

export const simUsers = {
	admin: {pathPrefix: '', user: {name: 'rollscope-admin', canWrite: true}},
	viewer: {pathPrefix: '/viewer', user: {name: 'rollscope-viewer', canWrite: false}},
} as const;

const readVerbs = new Set(['get', 'list', 'watch']);

/** The user a request path speaks for, and the path with the user's prefix taken off. */
export function userForPath(path: string): {user: User; path: string} {
	const prefix = simUsers.viewer.pathPrefix;
	if (path === prefix || path.startsWith(prefix + '/')) return {user: simUsers.viewer.user, path: path.slice(prefix.length) || '/'};
	return {user: simUsers.admin.user, path};
}

export function allowed(user: User, verb: string): boolean {
	return user.canWrite || readVerbs.has(verb);
}
