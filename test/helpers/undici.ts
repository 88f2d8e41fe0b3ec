// What rollscope's client does on the wire, as undici's diagnostics channels tell it: the requests it makes,
// the answers it gets, the connections it opens. Told on the main thread as they happen.
import diagnostics from 'node:diagnostics_channel';

type Channels = {
	'undici:request:create': {request: {method: string; path: string}};
	'undici:request:headers': {request: {method: string; path: string}; response: {statusCode: number}};
	'undici:client:connected': unknown;
};

/** Tell `on` every message of `channel` from now on; returns the function that stops it. */
export function listen<C extends keyof Channels>(channel: C, on: (message: Channels[C]) => void): () => void {
	const listener = (message: unknown) => on(message as Channels[C]);
	diagnostics.subscribe(channel, listener);
	return () => diagnostics.unsubscribe(channel, listener);
}

/** `run`, with `on` told every message of `channel` while it runs. */
export async function observing<C extends keyof Channels, T>(channel: C, on: (message: Channels[C]) => void, run: () => Promise<T>): Promise<T> {
	const stop = listen(channel, on);
	try {
		return await run();
	} finally {
		stop();
	}
}

/** A created request as `GET /api/v1/...?query`. */
export const requestLine = ({request}: Channels['undici:request:create']): string => `${request.method} ${request.path}`;
