// The one door to the Kubernetes API. The kubeconfig (clusters, CA, tokens, client certificates, exec plugins,
// proxies) is read by @kubernetes/client-node; requests and watch streams go out here, over one pool of
// connections per set of credentials, with timeouts, and objects stay plain JSON. Requests go through undici's
// Dispatcher API (not its fetch, which is most of undici's code and work), and ask for gzip as kubectl does.
// A busy server (429) is waited out, and a connection the server sends GOAWAY on is left to its open watches.
import {createHash} from 'node:crypto';
import type {Readable} from 'node:stream';
import {createSecureContext} from 'node:tls';
import {createGunzip, gunzip} from 'node:zlib';
import {HttpMethod, KubeConfig, RequestContext} from '@kubernetes/client-node';
import {Agent, ProxyAgent, type Dispatcher} from 'undici';
import type {KObject} from './object.js';
import {fromResponse, KubeError, toKubeError} from './errors.js';
import {adoptExecPlugins, type ExecCredentials} from './exec-credential.js';
import {loadKubeconfig, type TokenFiles} from './kubeconfig.js';
import {proxyFromEnvironment} from './proxy-env.js';
import {TokenFile} from './token-file.js';

export type ClientOptions = {kubeconfig?: string; context?: string; namespace?: string};

export type WatchEvent = {type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: any};

/** An open watch: events go to the callback until `ended` settles (null: the server closed it cleanly, or it was aborted). */
export type WatchStream = {ended: Promise<KubeError | null>; abort(): void};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RequestOptions = {
	query?: Record<string, string | undefined>;
	body?: unknown;
	contentType?: string;
	timeoutMs?: number;
	/** Ends the request early (as well as the timeout). */
	signal?: AbortSignal;
	/** Given a successful answer's text before it is parsed; the parse waits for what it returns. */
	onText?: (text: string) => Promise<void> | undefined;
	/** Called once the request has gone to the connection pool. */
	onSent?: () => void;
};

/** How long a read may take (a list of a big namespace is slow), and a write: one that takes longer is followed up in the watch. */
export const READ_TIMEOUT_MS = 30_000;
export const WRITE_TIMEOUT_MS = 10_000;
/** How long a watch may take to answer before it counts as failed. */
export const WATCH_CONNECT_TIMEOUT_MS = 15_000;
/** A busy server's answers waited out for one request at most (client-go's maxRetries), and each wait's bounds. */
export const BUSY_RETRIES = 10;
/** How many times a read is sent again after its pool went away before it was answered. */
const GOAWAY_RESENDS = 3;
/** How long after a GOAWAY a read may take to be answered on the old connection before it is sent again. */
const GOAWAY_GRACE_MS = 1000;
const MIN_RETRY_AFTER_MS = 100;
const MAX_RETRY_AFTER_MS = 10_000;

type Connection = {headers: Record<string, string>; dispatcher: Dispatcher};

/** The reason a read is ended when its pool's connection went away (GOAWAY) before it was answered. */
class GoneAway extends Error {
	override name = 'GoneAway';
}

/** undici's 'disconnect' for an HTTP/2 GOAWAY. */
const isGoAway = (error: unknown) => /"GOAWAY" frame received/.test((error as Error | undefined)?.message ?? '');

const gzipped = (response: Dispatcher.ResponseData) => /^\s*gzip\s*$/i.test(String(response.headers['content-encoding'] ?? ''));

/** The whole body of an answer as text, unzipped when the server gzipped it. */
async function bodyText(response: Dispatcher.ResponseData): Promise<string> {
	if (!gzipped(response)) return response.body.text();
	const zipped = Buffer.from(await response.body.arrayBuffer());
	return new Promise((resolve, reject) => gunzip(zipped, {chunkSize: gunzipChunk(zipped)}, (error, plain) => (error ? reject(error) : resolve(plain.toString('utf8')))));
}

/**
 * Unzipped in one piece where the gzip trailer says how big it is (its last 4 bytes, the size modulo 2^32): zlib
 * hands each piece back to the main thread, and at its default 16 KiB a 1.5 MB page of pods took a hundred of
 * them (10 ms of the main thread's time at start). Between 16 KiB and 8 MiB; any size unzips the same.
 */
export function gunzipChunk(zipped: Buffer): number {
	const size = zipped.length >= 18 ? zipped.readUInt32LE(zipped.length - 4) : 0;
	return Math.min(8 << 20, Math.max(16 << 10, size + 1));
}

/**
 * A list's continue token, read from the start of its text without parsing it: kube-apiserver writes a built-in
 * kind's list as its fields are declared (kind, apiVersion, metadata, then items). Undefined when the metadata
 * does not come before the items (a custom resource's list, written in key order) or the token is not plain.
 */
export function continueAhead(text: string): string | undefined {
	const items = text.indexOf('"items"');
	if (items < 0) return undefined;
	return /"continue":"([A-Za-z0-9_\-=.+/]+)"/.exec(text.slice(0, items))?.[1];
}

/** The body of an answer as a stream of bytes, unzipped when the server gzipped it. */
function bodyStream(response: Dispatcher.ResponseData): Readable {
	if (!gzipped(response)) return response.body;
	const gunzipping = createGunzip();
	response.body.on('error', error => gunzipping.destroy(error));
	return response.body.pipe(gunzipping);
}

export class KubeClient {
	readonly context: string;
	readonly namespace: string;
	readonly server: string;
	/** The kubeconfig's name for the user (what the audit names when the server will not say). */
	readonly configUser: string;
	private readonly exec: ExecCredentials | undefined;
	/** The environment's proxy, when its scheme is one no client here takes. */
	private proxyRefused: KubeError | undefined;
	/** The current user's token file, read again as it is rotated. */
	private readonly tokenFile: TokenFile | undefined;
	private readonly pools = new Map<string, Promise<Dispatcher>>();
	/** Per pool, the reads sent on it that have no answer yet (retire sends them again). */
	private readonly unanswered = new WeakMap<Dispatcher, Set<AbortController>>();
	private poolsSince = 0;
	private identity: Promise<string> | undefined;
	private authenticated: string | undefined;

	constructor(
		readonly config: KubeConfig,
		namespace?: string,
		files: readonly string[] = [],
		tokenFiles: TokenFiles = new Map(),
	) {
		this.context = config.getCurrentContext();
		const ctx = config.getContextObject(this.context);
		this.namespace = namespace || ctx?.namespace || 'default';
		this.server = config.getCurrentCluster()?.server ?? '';
		this.configUser = config.getCurrentUser()?.name ?? 'unknown';
		// A token read from a file keeps its newline; kubectl trims it.
		config.users = config.users.map(u => (typeof u.token === 'string' && u.token !== u.token.trim() ? {...u, token: u.token.trim()} : u));
		this.exec = adoptExecPlugins(config, files);
		this.adoptEnvironmentProxy();
		const tokenFile = tokenFiles.get(this.configUser);
		this.tokenFile = tokenFile === undefined ? undefined : new TokenFile(tokenFile);
	}

	/**
	 * Without a proxy-url in the kubeconfig: HTTPS_PROXY (or HTTP_PROXY) and NO_PROXY as kubectl reads them. The
	 * proxy they name stands as the cluster's proxy-url: http://, https://, or socks5:// as in the Kubernetes
	 * docs' `HTTPS_PROXY=socks5://localhost:1080` over `ssh -D` (the host name resolved by the proxy). One of
	 * another scheme, which kubectl does not take either, is refused when a connection is to be made.
	 */
	private adoptEnvironmentProxy(): void {
		const cluster = this.config.getCurrentCluster();
		if (!cluster || cluster.proxyUrl || !URL.canParse(cluster.server)) return;
		const proxy = proxyFromEnvironment(new URL(cluster.server), process.env);
		if (!proxy) return;
		if (!/^(https?|socks5h?):\/\//i.test(proxy)) {
			this.proxyRefused = new KubeError(0, 'Proxy', `the environment's proxy ${proxy} (HTTPS_PROXY or HTTP_PROXY) is not an http://, https:// or socks5:// one`);
			return;
		}
		this.config.clusters = this.config.clusters.map(c => (c === cluster ? {...c, proxyUrl: proxy} : c));
	}

	/** Who the audit Events name: the user the API server authenticated once it said, else the kubeconfig's. */
	get user(): string {
		return this.authenticated ?? this.configUser;
	}

	/** Load a kubeconfig as kubectl would; throws an Error with a message fit for the user. */
	static load(options: ClientOptions = {}): KubeClient {
		let kc: KubeConfig;
		let files: string[];
		let tokenFiles: TokenFiles;
		try {
			({config: kc, files, tokenFiles} = loadKubeconfig(options.kubeconfig));
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
		let url: URL;
		try {
			url = new URL(cluster.server);
		} catch {
			throw new Error(`the kubeconfig's server "${cluster.server}" is not a URL`);
		}
		if (url.protocol === 'http:' && !cluster.skipTLSVerify) throw new Error(`the kubeconfig's server ${cluster.server} is plain HTTP; credentials are only sent over https:// (or set insecure-skip-tls-verify: true for a local test server)`);
		return new KubeClient(kc, options.namespace, files, tokenFiles);
	}

	/** A client for a kubeconfig given as text (the embedded sim's). */
	static fromString(kubeconfig: string, namespace?: string): KubeClient {
		const kc = new KubeConfig();
		kc.loadFromString(kubeconfig);
		return new KubeClient(kc, namespace);
	}

	/**
	 * The credentials of the current user (running an exec plugin when its credential ran out) and the pool of
	 * connections for them. The probe has a pool of its own, so that it never waits behind other requests.
	 */
	private async connection(pool: 'main' | 'probe' = 'main'): Promise<Connection> {
		const opts: any = {};
		if (this.tokenFile) this.useToken(this.tokenFile.current());
		try {
			await this.config.applyToHTTPSOptions(opts);
		} catch (error) {
			throw error instanceof KubeError ? error : new KubeError(0, 'Credentials', `the kubeconfig's credentials cannot be used: ${(error as Error).message.split('\n')[0]}`);
		}
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = String(v);
		if (typeof opts.auth === 'string') headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
		const tls: Record<string, unknown> = {};
		for (const k of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername']) if (opts[k] !== undefined && opts[k] !== null) tls[k] = opts[k];
		const cluster = this.config.getCurrentCluster();
		const hash = createHash('sha256').update(pool).update(cluster?.proxyUrl ?? '');
		for (const [k, v] of Object.entries(tls)) hash.update(`|${k}=`).update(Buffer.isBuffer(v) ? v : String(v));
		const key = `${pool}:${hash.digest('hex')}`;
		let dispatcher = this.pools.get(key);
		if (!dispatcher) {
			// New credentials (an exec plugin's new client certificate) get a new pool; the old one closes once idle.
			for (const [k, old] of this.pools) {
				if (!k.startsWith(`${pool}:`)) continue;
				this.pools.delete(k);
				void old.then(d => d.close()).catch(() => {});
			}
			const made: Promise<Dispatcher> = this.newPool(tls).then(d => {
				d.on('disconnect', (_origin: unknown, _targets: unknown, error: unknown) => {
					if (isGoAway(error)) this.retire(key, made, d);
				});
				return d;
			});
			dispatcher = made;
			this.pools.set(key, made);
			if (pool === 'main') this.poolsSince = Date.now();
		}
		return {headers, dispatcher: await dispatcher};
	}

	/**
	 * The server sent GOAWAY on a pool's connection (it shuts down, or spreads its clients, as kube-apiserver's
	 * --goaway-chance does): requests from now on go on a new pool, while the streams already open (the watches)
	 * finish on the old one, which then closes. undici alone would keep new requests waiting behind those streams
	 * for as long as they last, and with them the requests it sent that the server had not taken (those after the
	 * GOAWAY's last stream): a read still unanswered a moment later is sent again on the new pool. Those the
	 * server took are answered in that time. A write is left to finish (the server may have taken it) or time out.
	 */
	private retire(key: string, pool: Promise<Dispatcher>, dispatcher: Dispatcher): void {
		if (this.pools.get(key) === pool) {
			this.pools.delete(key);
			void dispatcher.close().catch(() => {});
		}
		setTimeout(() => {
			for (const read of this.unanswered.get(dispatcher) ?? []) read.abort(new GoneAway());
		}, GOAWAY_GRACE_MS).unref();
	}

	/**
	 * `ask` on a connection of `pool`. A read is given a signal that ends it if its pool goes away before it is
	 * answered (`ask` calls `answered` at the answer's headers), and is asked again on the new pool then, or when
	 * undici fails it for the GOAWAY, even while its body comes (up to GOAWAY_RESENDS times).
	 */
	private async onAPool<T>(pool: 'main' | 'probe', read: boolean, ask: (connection: Connection, goneAway: AbortSignal | undefined, answered: () => void) => Promise<T>): Promise<T> {
		for (let resent = 0; ; resent++) {
			const connection = await this.connection(pool);
			if (!read || resent >= GOAWAY_RESENDS) return ask(connection, undefined, () => {});
			const controller = new AbortController();
			let reads = this.unanswered.get(connection.dispatcher);
			if (!reads) this.unanswered.set(connection.dispatcher, (reads = new Set()));
			const unanswered = reads;
			unanswered.add(controller);
			try {
				return await ask(connection, controller.signal, () => unanswered.delete(controller));
			} catch (error) {
				// Ended here when the pool went away, or failed by undici on the connection that got the GOAWAY.
				if (controller.signal.reason instanceof GoneAway || isGoAway(error)) continue;
				throw error;
			} finally {
				unanswered.delete(controller);
			}
		}
	}

	/** The current user's token from now on (its file was read again). */
	private useToken(token: string | undefined): void {
		const user = this.config.getCurrentUser();
		if (!user || token === undefined || user.token === token) return;
		this.config.users = this.config.users.map(u => (u === user ? {...u, token} : u));
	}

	/**
	 * After a 401: credentials that may be new now. An exec plugin's is asked for again; a token file is read
	 * again, and is new if it holds another token. False when there is nothing new to try.
	 */
	private renewCredentials(): boolean {
		if (this.exec) {
			this.exec.invalidate();
			return true;
		}
		return this.tokenFile?.renew() ?? false;
	}

	private async newPool(tls: Record<string, unknown>): Promise<Dispatcher> {
		const cluster = this.config.getCurrentCluster();
		const options = this.config.createDispatcherOptions(cluster, tls as any);
		// The CA, client certificate and key are read once for the pool, not once per connection (over HTTP/1.1 a
		// view opens one per watch); keep-alive probes as client-go's (30s), so a connection that died quietly is
		// noticed.
		const {ca, cert, key, pfx, passphrase, ...rest} = tls;
		const secureContext = createSecureContext(Object.fromEntries(Object.entries({ca, cert, key, pfx, passphrase}).filter(([, v]) => v !== undefined)));
		const keepAlive = {keepAlive: true, keepAliveInitialDelay: 30_000};
		const serverTls = {...rest, secureContext};
		// An idle connection is kept 90 s, as Go's transport (kubectl's) keeps one. undici's default is 4 s, and over
		// HTTP/2 (which real API servers speak) no server hint lengthens it: the health probe, every 4 s on a pool
		// of its own, found its connection closed each time and made a new one, a TLS handshake every few seconds.
		const idle = {keepAliveTimeout: 90_000};
		// Through an HTTP proxy: TCP keep-alive on the connection to it, the server's TLS inside the tunnel.
		const viaProxy = (uri: string) => new ProxyAgent({uri, requestTls: serverTls, connect: keepAlive, ...idle});
		switch (options.type) {
			case 'agent':
			case 'none':
				// No proxy, from the kubeconfig or the environment (adoptEnvironmentProxy).
				if (this.proxyRefused) throw this.proxyRefused;
				return new Agent({connect: {...serverTls, ...keepAlive}, ...idle});
			case 'proxy':
				return viaProxy(options.uri);
			case 'socks': {
				// client-node knows how to tunnel through SOCKS; borrow its dispatcher.
				const ctx = new RequestContext(this.server, HttpMethod.GET);
				await this.config.applySecurityAuthentication(ctx);
				return ctx.getDispatcher() as Dispatcher;
			}
		}
	}

	private url(path: string, query: Record<string, string | undefined> = {}): URL {
		const url = new URL(this.server.replace(/\/$/, '') + path);
		for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
		return url;
	}

	/**
	 * One request; answers parsed JSON, throws KubeError. A 401 runs an exec plugin again, or reads a token file
	 * again, and the request is made once more with what they give. A busy server's answer is waited out as it
	 * asks and the request made again, as client-go does, within the request's own time: a 429 (nothing was
	 * done), and for a read a 5xx that says Retry-After too. A write's 5xx (a 504 may still be carried out) is
	 * its caller's to follow up.
	 */
	async request(method: Method, path: string, options: RequestOptions = {}): Promise<any> {
		const until = Date.now() + (options.timeoutMs ?? (method === 'GET' ? READ_TIMEOUT_MS : WRITE_TIMEOUT_MS));
		return this.again(() => this.send(method, path, options), error => error.busy && (method === 'GET' || error.code === 429), until, options.signal);
	}

	/**
	 * `attempt` until it succeeds: made once more after a 401 with credentials that may be new, and again after
	 * each busy answer that `waitOut` accepts (at most BUSY_RETRIES, each waiting the Retry-After it gave, not
	 * past `until`).
	 */
	private async again<T>(attempt: () => Promise<T>, waitOut: (error: KubeError) => boolean, until: number, signal?: AbortSignal): Promise<T> {
		let renewed = false;
		for (let busy = 0; ; ) {
			try {
				return await attempt();
			} catch (error) {
				if (!(error instanceof KubeError)) throw error;
				if (error.code === 401 && !renewed && this.renewCredentials()) {
					renewed = true;
					continue;
				}
				if (!waitOut(error) || busy >= BUSY_RETRIES) throw error;
				const wait = Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, error.retryAfterSeconds! * 1000));
				if (Date.now() + wait >= until || signal?.aborted) throw error;
				busy++;
				await new Promise(resolve => setTimeout(resolve, wait));
			}
		}
	}

	private async send(method: Method, path: string, options: RequestOptions, pool: 'main' | 'probe' = 'main'): Promise<any> {
		const url = this.url(path, options.query);
		const timeoutMs = options.timeoutMs ?? (method === 'GET' ? READ_TIMEOUT_MS : WRITE_TIMEOUT_MS);
		let response;
		let text: string;
		try {
			({response, text} = await this.onAPool(pool, method === 'GET', async ({headers, dispatcher}, goneAway, answered) => {
				headers.Accept = 'application/json';
				headers['Accept-Encoding'] = 'gzip';
				if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
				const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : []), ...(goneAway ? [goneAway] : [])];
				const answer = dispatcher.request({
					origin: url.origin,
					path: url.pathname + url.search,
					method,
					headers,
					body: options.body === undefined ? null : JSON.stringify(options.body),
					signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
				});
				options.onSent?.();
				const response = await answer;
				answered();
				return {response, text: await bodyText(response)};
			}));
		} catch (error) {
			const e = toKubeError(error);
			throw e.message === 'no answer in time' ? new KubeError(0, 'Unreachable', `no answer within ${timeoutMs / 1000}s`, [], e.maybeSent) : e;
		}
		if (response.statusCode >= 400) throw fromResponse(response.statusCode, text, response.headers['retry-after']);
		const parseAfter = options.onText?.(text);
		if (parseAfter) await parseAfter;
		try {
			return JSON.parse(text);
		} catch {
			if (!path.startsWith('/api')) return text;
			throw new KubeError(response.statusCode, 'BadResponse', `the API server answered ${path} with something that is not JSON`);
		}
	}

	/**
	 * Ask the API server whether it answers: GET /readyz within `timeoutMs`. Any answer below 500 counts
	 * (a server that forbids /readyz still answers); throws a KubeError when none comes.
	 */
	async probe(timeoutMs: number): Promise<void> {
		try {
			await this.send('GET', '/readyz', {timeoutMs}, 'probe');
		} catch (error) {
			const e = toKubeError(error);
			if (e.code === 0 || e.code >= 500) throw e;
		}
	}

	/**
	 * Who the API server says we are (SelfSubjectReview, as `kubectl auth whoami` asks it); the kubeconfig's
	 * user name when the server does not answer it. Asked once.
	 */
	whoami(timeoutMs = 5000): Promise<string> {
		this.identity ??= (async () => {
			for (const version of ['v1', 'v1beta1', 'v1alpha1']) {
				try {
					const review = await this.request('POST', `/apis/authentication.k8s.io/${version}/selfsubjectreviews`, {body: {apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview'}, timeoutMs});
					const name = review?.status?.userInfo?.username;
					if (typeof name === 'string' && name !== '') this.authenticated = name;
					break;
				} catch (error) {
					// Only a server that does not serve this version is asked the next one.
					if (!(error instanceof KubeError) || error.code !== 404) break;
				}
			}
			return this.user;
		})();
		return this.identity;
	}

	/**
	 * Every object of a list, page by page; `keep` turns each into what is kept of it as its page comes in. The
	 * next page is asked for as soon as a page's text is in, before it is parsed (continueAhead): the server
	 * makes it while this one is read. The biggest list on the way to the first frame (the pods) is then one
	 * round trip and one server's page shorter. Not with `ahead: false`, for a long list nothing waits for.
	 */
	async list(path: string, query: Record<string, string | undefined> = {}, keep?: (o: KObject) => KObject, {ahead = true}: {ahead?: boolean} = {}): Promise<{items: KObject[]; resourceVersion: string}> {
		const items: KObject[] = [];
		let resourceVersion = '';
		// Ends the page asked for ahead when the list stops without it (a failure, or a token that read otherwise).
		const stop = new AbortController();
		type Page = {page: any; ahead?: {cont: string; page: Promise<Page>}};
		const page = (cont: string | undefined, onSent?: () => void): Promise<Page> => {
			let asked: Page['ahead'];
			const onText = (text: string): Promise<void> | undefined => {
				const next = continueAhead(text);
				if (next === undefined || stop.signal.aborted) return undefined;
				let sent = () => {};
				const out = new Promise<void>(resolve => (sent = resolve));
				asked = {cont: next, page: page(next, sent)};
				// Its failure is the list's only once it is waited for.
				const settled = asked.page.then(
					() => {},
					() => {},
				);
				// This page is parsed once the next one is on its way (or could not be sent).
				return Promise.race([out, settled]);
			};
			return this.request('GET', path, {query: {...query, limit: '500', continue: cont}, signal: stop.signal, ...(ahead ? {onText} : {}), ...(onSent ? {onSent} : {})}).then(answer => ({page: answer, ...(asked ? {ahead: asked} : {})}));
		};
		try {
			let pending = page(undefined);
			for (;;) {
				const {page: answer, ahead: asked} = await pending;
				for (const o of answer.items ?? []) items.push(keep ? keep(o) : o);
				resourceVersion = answer.metadata?.resourceVersion ?? resourceVersion;
				const cont: string | undefined = answer.metadata?.continue || undefined;
				if (!cont) break;
				pending = asked?.cont === cont ? asked.page : page(cont);
			}
		} finally {
			stop.abort();
		}
		return {items, resourceVersion};
	}

	/**
	 * Open a watch (`?watch=true`). Resolves once the server answered 200; rejects with a KubeError when it answered
	 * otherwise, or not within WATCH_CONNECT_TIMEOUT_MS. After that there is no timer here: a stream that goes
	 * quiet is the caller's to judge (ListWatch knows how often the server sends bookmarks).
	 */
	async watch(path: string, query: Record<string, string | undefined>, onEvent: (e: WatchEvent) => void): Promise<WatchStream> {
		// Only a 429 is waited out here: a 5xx (the server behind the resourceVersion asked for) is the caller's to judge.
		return this.again(() => this.openWatch(path, query, onEvent), error => error.busy && error.code === 429, Date.now() + READ_TIMEOUT_MS);
	}

	private async openWatch(path: string, query: Record<string, string | undefined>, onEvent: (e: WatchEvent) => void): Promise<WatchStream> {
		const url = this.url(path, {...query, watch: 'true'});
		const controller = new AbortController();
		let aborted = false;
		const abort = () => {
			aborted = true;
			controller.abort();
		};
		const timer = setTimeout(() => controller.abort(new DOMException('no answer in time', 'TimeoutError')), WATCH_CONNECT_TIMEOUT_MS);
		let response;
		try {
			response = await this.onAPool('main', true, ({headers, dispatcher}, goneAway) => {
				headers.Accept = 'application/json';
				headers['Accept-Encoding'] = 'gzip';
				return dispatcher.request({origin: url.origin, path: url.pathname + url.search, method: 'GET', headers, signal: goneAway ? AbortSignal.any([controller.signal, goneAway]) : controller.signal});
			});
			if (response.statusCode !== 200) throw fromResponse(response.statusCode, await bodyText(response), response.headers['retry-after']);
		} catch (error) {
			const e = toKubeError(error);
			throw e.message === 'no answer in time' ? new KubeError(0, 'Unreachable', `no answer within ${WATCH_CONNECT_TIMEOUT_MS / 1000}s`, [], true) : e;
		} finally {
			clearTimeout(timer);
		}
		const body = bodyStream(response);
		const ended = (async (): Promise<KubeError | null> => {
			const decoder = new TextDecoder();
			let buffer = '';
			const deliver = (line: string) => {
				if (line.trim() === '') return;
				let event: any;
				try {
					event = JSON.parse(line);
				} catch {
					return;
				}
				if (event && typeof event.type === 'string') onEvent({type: event.type, object: event.object});
			};
			try {
				for await (const chunk of body) {
					if (aborted) return null;
					buffer += decoder.decode(chunk as Uint8Array, {stream: true});
					let at: number;
					while ((at = buffer.indexOf('\n')) >= 0) {
						const line = buffer.slice(0, at);
						buffer = buffer.slice(at + 1);
						if (aborted) return null;
						deliver(line);
					}
				}
				if (!aborted) deliver(buffer + decoder.decode());
				return null;
			} catch (error) {
				return aborted ? null : toKubeError(error);
			}
		})();
		return {ended, abort};
	}

	/** Which API group-versions the server serves (e.g. 'networking.istio.io/v1'). */
	async groupVersions(timeoutMs?: number): Promise<Set<string>> {
		const apis = await this.request('GET', '/apis', timeoutMs ? {timeoutMs} : {});
		return new Set<string>(['v1', ...(apis.groups ?? []).flatMap((g: any) => (g.versions ?? []).map((v: any) => v.groupVersion))]);
	}

	/**
	 * Use new connections from now on: the old ones may be dead without knowing it (a watch went quiet, the
	 * server stopped answering). Requests under way on them finish or fail on their own. Not more than once in 5 s.
	 */
	renewConnections(): void {
		if (Date.now() - this.poolsSince < 5000) return;
		for (const [k, old] of this.pools) {
			if (!k.startsWith('main:')) continue;
			this.pools.delete(k);
			void old.then(d => d.close()).catch(() => {});
		}
	}

	/** Close the connections (the view is done). */
	async close(): Promise<void> {
		const pools = [...this.pools.values()];
		this.pools.clear();
		await Promise.all(pools.map(p => p.then(d => d.destroy()).catch(() => {})));
	}
}
