// The flags every command is handed, as the command line parser (cli.tsx) gives them, and the one-line
// usage error.

export type Flags = {
	namespace?: string;
	/** -A: the releases of every namespace instead of one release. */
	allNamespaces?: boolean;
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
	interval?: number;
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
	/** The live view: write a recording to this file while it runs. */
	record?: string;
	/** replay: the moment to show (HH:MM:SS on the recording's day, or an ISO time). */
	at?: string;
	/** replay: print the recording's timeline as Markdown. */
	report?: boolean;
};

/** Print a one-line usage message and exit with code 2. */
export function usageError(message: string): never {
	process.stderr.write(`rollscope: ${message}\n`);
	process.exit(2);
}
