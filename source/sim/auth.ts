// Who is calling the simulated cluster and what they may do.
// The sim's kubeconfig has two users: an admin that may do anything and a viewer that only reads.
// The tokens are fixed on purpose: the sim binds to loopback, and a restart with `--state`
// must accept the kubeconfig it wrote before.

export type User = {name: string; canWrite: boolean};

export const simUsers = {
	admin: {token: 'rollscope-sim-admin-token', user: {name: 'rollscope-admin', canWrite: true}},
	viewer: {token: 'rollscope-sim-viewer-token', user: {name: 'rollscope-viewer', canWrite: false}},
} as const;

const readVerbs = new Set(['get', 'list', 'watch']);

export function userForToken(authorization: string | undefined): User | undefined {
	const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
	for (const {token: t, user} of Object.values(simUsers)) if (t === token) return user;
	return undefined;
}

export function allowed(user: User, verb: string): boolean {
	return user.canWrite || readVerbs.has(verb);
}
