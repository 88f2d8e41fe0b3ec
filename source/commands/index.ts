// Picks the command named by the first argument; anything else is a target to watch.
import type {Env} from '../config/config.js';

export type Flags = {
	namespace?: string;
	context?: string;
	kubeconfig?: string;
	once: boolean;
	output: string;
	scenario?: string;
	speed: number;
	pods?: number;
	port: number;
	kubeconfigOut?: string;
	state?: string;
	/** sim: plain HTTP instead of HTTPS. */
	insecureHttp?: boolean;
	readOnly: boolean;
	dryRun: boolean;
	router?: string;
	prometheus?: string;
	metrics?: string;
	config?: string;
	interval: number;
	/** gate: how long to watch, the window, limits, abort. */
	for?: string;
	window?: string;
	maxErrorRatio?: string;
	maxP95?: string;
	abortOnFail?: boolean;
	/** The view: abort by itself after a fail verdict, after a countdown. */
	autoAbort?: boolean;
	autoAbortDelay?: string;
	/** The view: step through the weight plan by itself while the verdict passes. */
	autoAdvance?: boolean;
	stepInterval?: string;
};

/** Print a one-line usage message and exit with code 2. */
export function usageError(message: string): never {
	process.stderr.write(`rollscope: ${message}\n`);
	process.exit(2);
}

const commands = ['sim', 'demo', 'gate'] as const;

/** The flags as parsed: --interval may be absent, then it comes from the config file or the default. */
export type ParsedFlags = Omit<Flags, 'interval'> & {interval?: number};

export const defaultInterval = 5;

/** --interval, else `metrics.interval` in the config file, else 5 seconds; or what is wrong. */
export async function intervalOf(flags: Pick<ParsedFlags, 'interval' | 'config'>, env: Env = process.env): Promise<number | {error: string}> {
	if (flags.interval !== undefined) return flags.interval >= 1 ? flags.interval : {error: '--interval must be at least 1 (seconds)'};
	const {loadConfig} = await import('../config/config.js');
	try {
		return loadConfig({path: flags.config, env}).config.metrics?.interval ?? defaultInterval;
	} catch (error) {
		return {error: (error as Error).message};
	}
}

export async function runCommand(input: string[], parsed: ParsedFlags): Promise<number> {
	const [first, ...rest] = input;
	const interval = first === 'sim' ? defaultInterval : await intervalOf(parsed);
	if (typeof interval !== 'number') usageError(interval.error);
	const flags: Flags = {...parsed, interval};
	if (flags.output !== 'text' && flags.output !== 'json') usageError(`unknown output format "${flags.output}"; use text or json`);
	if (!(flags.speed > 0)) usageError('--speed must be a positive number');
	if (flags.pods !== undefined && !(Number.isInteger(flags.pods) && flags.pods > 0)) usageError('--pods must be a positive whole number');
	if (!(Number.isInteger(flags.port) && flags.port >= 0 && flags.port < 65536)) usageError('--port must be between 0 and 65535');
	if (first === 'sim') {
		if (rest.length > 0) usageError(`unexpected argument "${rest[0]}" after sim`);
		const {runSim} = await import('./sim.js');
		return runSim(flags);
	}
	if (first === 'demo') {
		if (rest.length > 1) usageError(`unexpected argument "${rest[1]}"`);
		const {runDemo} = await import('./demo.js');
		return runDemo(rest[0], flags);
	}
	if (first === 'gate') {
		if (rest.length > 1) usageError(`unexpected argument "${rest[1]}"`);
		const {runGate} = await import('./gate.js');
		return runGate(rest[0], flags);
	}
	if (rest.length > 0) usageError(`unexpected argument "${rest[0]}": give one target, or one of the commands ${commands.join(', ')}`);
	const {runWatch} = await import('./watch.js');
	return runWatch(first, flags);
}
