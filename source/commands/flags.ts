// The flags: one table says each flag's name, value, meaning and the commands it applies to; the parser
// (args.ts), every command's --help (help.ts) and the shell completion (completion.ts) read it. Also the
// flags every command is handed, and the one-line usage error.

/** The commands; `watch` is the live view, run when no command word is given. */
export const commandNames = ['watch', 'demo', 'sim', 'gate', 'record', 'replay', 'completion'] as const;
export type CommandName = (typeof commandNames)[number];

export type Flags = {
	namespace?: string;
	/** -A: the releases of every namespace. */
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
	/** -v N: log the requests to the API and Prometheus (kubectl's levels: 6 and up the requests, 8 and up their bodies). */
	v?: number;
};

/** What a flag's value is completed from: a fixed list, the cluster, the kubeconfig, or file names. */
export type ValueSource = readonly string[] | 'namespace' | 'context' | 'file' | 'router' | 'preset' | 'scenario';

export type FlagSpec = {
	/** The long name, as typed after --. */
	name: string;
	/** The field of Flags it sets. */
	key: keyof Flags;
	short?: string;
	type: 'string' | 'number' | 'boolean';
	/** How the value is written in the help: NS, FILE, DURATION… */
	value?: string;
	description: string;
	commands: readonly CommandName[];
	/** Where the shell completion takes values from. */
	values?: ValueSource;
	/** The help's section. */
	section: 'target' | 'output' | 'actions' | 'metrics' | 'gate' | 'verdict' | 'history' | 'sim' | 'debug';
};

const view: readonly CommandName[] = ['watch', 'demo'];
const judging: readonly CommandName[] = ['watch', 'demo', 'gate'];
/** Those that read SLIs and keep a verdict: the judging ones and record, which writes them down. */
const metered: readonly CommandName[] = [...judging, 'record'];
const simulated: readonly CommandName[] = ['demo', 'sim'];
const clusters: readonly CommandName[] = ['watch', 'gate', 'record'];

export const flagSpecs: readonly FlagSpec[] = [
	{name: 'namespace', key: 'namespace', short: 'n', type: 'string', value: 'NS', description: 'namespace (default: the context\'s, else "default")', commands: ['watch', 'demo', 'gate', 'record'], values: 'namespace', section: 'target'},
	{name: 'all-namespaces', key: 'allNamespaces', short: 'A', type: 'boolean', description: 'list the releases of every namespace, those that need a person first (enter opens one, esc comes back)', commands: view, section: 'target'},
	{name: 'context', key: 'context', type: 'string', value: 'NAME', description: 'kubeconfig context (default: the current one)', commands: clusters, values: 'context', section: 'target'},
	{name: 'kubeconfig', key: 'kubeconfig', type: 'string', value: 'FILE', description: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)', commands: clusters, values: 'file', section: 'target'},
	{name: 'once', key: 'once', type: 'boolean', description: 'print one snapshot and exit', commands: [...view, 'replay'], section: 'output'},
	{name: 'output', key: 'output', short: 'o', type: 'string', value: 'FORMAT', description: 'with --once (and gate, replay): text (default) or json; record: the file to write', commands: [...judging, 'record', 'replay'], values: ['text', 'json'], section: 'output'},
	{name: 'read-only', key: 'readOnly', type: 'boolean', description: 'no action may change the cluster', commands: judging, section: 'actions'},
	{name: 'dry-run', key: 'dryRun', type: 'boolean', description: 'show the patch an action would send instead of sending it', commands: judging, section: 'actions'},
	{name: 'router', key: 'router', type: 'string', value: 'KIND', description: 'how to move traffic: istio, gateway-api, smi, nginx, traefik, replicas', commands: judging, values: 'router', section: 'actions'},
	{name: 'prometheus', key: 'prometheus', type: 'string', value: 'URL', description: 'Prometheus-compatible API, without credentials (or ROLLSCOPE_PROMETHEUS_URL)', commands: metered, section: 'metrics'},
	{name: 'metrics', key: 'metrics', type: 'string', value: 'PRESET', description: 'istio, nginx, linkerd or generic (default: detected)', commands: metered, values: 'preset', section: 'metrics'},
	{name: 'config', key: 'config', type: 'string', value: 'FILE', description: 'YAML config (default: ~/.config/rollscope/config.yaml)', commands: metered, values: 'file', section: 'metrics'},
	{name: 'interval', key: 'interval', type: 'number', value: 'SECONDS', description: 'metrics refresh and verdict (default 5, or metrics.interval in the config)', commands: metered, section: 'metrics'},
	{name: 'for', key: 'for', type: 'string', value: 'DURATION', description: 'how long to watch (gate: default 10m; record: until ctrl-c)', commands: ['gate', 'record'], section: 'gate'},
	{name: 'window', key: 'window', type: 'string', value: 'DURATION', description: 'the window each verdict counts over (default 1m)', commands: metered, section: 'gate'},
	{name: 'max-error-ratio', key: 'maxErrorRatio', type: 'string', value: 'R', description: 'fail above this error ratio of the new version, e.g. 1%', commands: metered, section: 'gate'},
	{name: 'max-p95', key: 'maxP95', type: 'string', value: 'DURATION', description: 'fail above this p95 of the new version, e.g. 300ms', commands: metered, section: 'gate'},
	{name: 'abort-on-fail', key: 'abortOnFail', type: 'boolean', description: 'abort the release on failure (as the view\'s abort action)', commands: ['gate'], section: 'gate'},
	{name: 'auto-abort', key: 'autoAbort', type: 'boolean', description: 'after a fail verdict, abort by itself once a countdown ends (c cancels)', commands: view, section: 'verdict'},
	{name: 'auto-abort-delay', key: 'autoAbortDelay', type: 'string', value: 'D', description: 'the countdown (default 30s)', commands: view, section: 'verdict'},
	{name: 'auto-advance', key: 'autoAdvance', type: 'boolean', description: 'while the verdict passes, step the canary through the weight plan', commands: view, section: 'verdict'},
	{name: 'step-interval', key: 'stepInterval', type: 'string', value: 'D', description: 'time between automatic steps (default 2m)', commands: view, section: 'verdict'},
	{name: 'record', key: 'record', type: 'string', value: 'FILE', description: 'record the release to FILE as the view runs (gzip-compressed NDJSON; must not exist)', commands: view, values: 'file', section: 'history'},
	{name: 'at', key: 'at', type: 'string', value: 'TIME', description: 'replay: start there, paused (with --once: print that moment); HH:MM:SS on the recording\'s day or an ISO time', commands: ['replay'], section: 'history'},
	{name: 'report', key: 'report', type: 'boolean', description: 'replay: print the recording\'s timeline as Markdown, for a post-mortem', commands: ['replay'], section: 'history'},
	{name: 'scenario', key: 'scenario', type: 'string', value: 'NAME', description: 'the scenario of the simulated cluster', commands: simulated, values: 'scenario', section: 'sim'},
	{name: 'speed', key: 'speed', type: 'number', value: 'X', description: 'run the simulated clock (replay: the recording) X times faster (default 1)', commands: [...simulated, 'replay'], section: 'sim'},
	{name: 'pods', key: 'pods', type: 'number', value: 'N', description: 'scale the scenario to about N pods', commands: simulated, section: 'sim'},
	{name: 'port', key: 'port', type: 'number', value: 'N', description: 'port on 127.0.0.1 (default 0: a free one)', commands: ['sim'], section: 'sim'},
	{name: 'kubeconfig-out', key: 'kubeconfigOut', type: 'string', value: 'FILE', description: 'where to write its kubeconfig', commands: ['sim'], values: 'file', section: 'sim'},
	{name: 'state', key: 'state', type: 'string', value: 'FILE', description: 'load the cluster (and its CA, keys and tokens) from FILE at start, save it there on exit', commands: ['sim'], values: 'file', section: 'sim'},
	{name: 'insecure-http', key: 'insecureHttp', type: 'boolean', description: 'serve plain HTTP; requests without credentials act as admin', commands: ['sim'], section: 'sim'},
	{name: 'v', key: 'v', short: 'v', type: 'number', value: 'N', description: 'log the requests to the API and Prometheus: method, URL, status, time; from 8 also headers and bodies (credentials masked); to stderr, or for the live view to a file it names', commands: judging, section: 'debug'},
];

/** Flags every command takes. */
export const commonFlags = [
	{name: 'help', short: 'h', description: 'show this help'},
	{name: 'version', description: 'show the version'},
] as const;

export const defaultFlags: Flags = {once: false, output: 'text', speed: 1, port: 0, readOnly: false, dryRun: false};

/** The flag as the user wrote it: `-n/--namespace`, `--once`, `-v`. */
export function flagLabel(spec: Pick<FlagSpec, 'name' | 'short'>): string {
	if (spec.short === spec.name) return `-${spec.short}`;
	return spec.short ? `-${spec.short}/--${spec.name}` : `--${spec.name}`;
}

/** Print a one-line usage message and exit with code 2. */
export function usageError(message: string): never {
	process.stderr.write(`rollscope: ${message}\n`);
	process.exit(2);
}
