// Reading kubeconfig files as kubectl reads them: $KUBECONFIG's files merged with the first to set a value
// winning (current-context, and each named cluster, user and context), files that do not exist skipped, and
// relative paths (certificate authority, client certificate and key, token file) read beside their file. Each
// user's token file is told apart, to be read again as it is rotated (token-file.ts).
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {delimiter, dirname, isAbsolute, join} from 'node:path';
import {KubeConfig} from '@kubernetes/client-node';
import {parse, stringify} from 'yaml';

const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The files kubectl would read: --kubeconfig, else $KUBECONFIG's list, else ~/.kube/config. */
export function kubeconfigFiles(explicit?: string, env = process.env.KUBECONFIG): string[] {
	if (explicit) return [explicit];
	if (env) return env.split(delimiter).filter(Boolean);
	return [join(homedir(), '.kube', 'config')];
}

/** A kubeconfig's text as client-node reads it: a mapping at the top (a file of kubeconfig fields). */
const topLevelField = /^(apiVersion|kind|clusters|contexts|users|current-context|preferences)\s*:/m;

/** User name to the absolute path of its token file. */
export type TokenFiles = Map<string, string>;

/**
 * One file, its relative token-file made absolute before client-node reads it (client-node reads it at once,
 * and forgets where it came from: the paths are given beside).
 */
function loadFile(file: string): {kc: KubeConfig; tokenFiles: TokenFiles} {
	const text = readFileSync(file, 'utf8');
	const kc = new KubeConfig();
	const tokenFiles: TokenFiles = new Map();
	// Most files name no token file: client-node parses them as they are, once (parsing a kubeconfig with client
	// certificates twice took about 20 ms of a cold start).
	if (!text.includes('token-file') && topLevelField.test(text)) kc.loadFromString(text);
	else {
		const doc = parse(text) ?? {};
		for (const u of Array.isArray(doc.users) ? doc.users : []) {
			const tokenFile = u?.user?.['token-file'];
			if (typeof tokenFile !== 'string' || tokenFile === '') continue;
			if (!isAbsolute(tokenFile)) u.user['token-file'] = join(dirname(file), tokenFile);
			if (typeof u.name === 'string') tokenFiles.set(u.name, u.user['token-file']);
		}
		kc.loadFromString(stringify(doc));
	}
	kc.makePathsAbsolute(dirname(file));
	return {kc, tokenFiles};
}

/**
 * The merged kubeconfig and the files it came from. An explicit file must exist; of a list, those that do not
 * are skipped, as kubectl skips them. Throws an Error that says what is wrong.
 */
export function loadKubeconfig(explicit?: string): {config: KubeConfig; files: string[]; tokenFiles: TokenFiles} {
	const listed = kubeconfigFiles(explicit);
	if (explicit && !existsSync(explicit)) throw new Error(`kubeconfig ${explicit} does not exist`);
	const files = listed.filter(f => existsSync(f));
	const config = new KubeConfig();
	if (files.length === 0) {
		// No file: in a pod, its service account, as kubectl in a pod; elsewhere there is nothing to go on.
		if (!process.env.KUBERNETES_SERVICE_HOST || !existsSync(serviceAccountToken)) throw new Error(`there is none: ${listed.join(', ')} ${listed.length === 1 ? 'does' : 'do'} not exist (set KUBECONFIG or --kubeconfig)`);
		config.loadFromCluster();
		// client-node reads the service account's token file again each minute itself.
		return {config, files, tokenFiles: new Map()};
	}
	const merged = {clusters: [] as KubeConfig['clusters'], users: [] as KubeConfig['users'], contexts: [] as KubeConfig['contexts'], currentContext: ''};
	const tokenFiles: TokenFiles = new Map();
	for (const file of files) {
		let loaded: ReturnType<typeof loadFile>;
		try {
			loaded = loadFile(file);
		} catch (error) {
			throw new Error(`${file}: ${(error as Error).message.split('\n')[0]}`);
		}
		const {kc} = loaded;
		merged.currentContext ||= kc.currentContext ?? '';
		for (const c of kc.clusters) if (!merged.clusters.some(m => m.name === c.name)) merged.clusters.push(c);
		for (const u of kc.users) {
			if (merged.users.some(m => m.name === u.name)) continue;
			merged.users.push(u);
			const tokenFile = loaded.tokenFiles.get(u.name);
			if (tokenFile !== undefined) tokenFiles.set(u.name, tokenFile);
		}
		for (const c of kc.contexts) if (!merged.contexts.some(m => m.name === c.name)) merged.contexts.push(c);
	}
	config.clusters = merged.clusters;
	config.users = merged.users;
	config.contexts = merged.contexts;
	config.currentContext = merged.currentContext;
	return {config, files, tokenFiles};
}
