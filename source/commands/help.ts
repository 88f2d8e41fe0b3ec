// What `--help` prints for each command: the live view's full help, and for the other commands their usage
// with the flags the table (flags.ts) gives them.
import {commonFlags, flagSpecs, type CommandName, type FlagSpec} from './flags.js';

const mainHelp = `
	Usage
	  $ rollscope [TARGET] [-n NAMESPACE]     watch a release live
	  $ rollscope -A                          the releases of every namespace, those that need you first
	  $ rollscope demo [--scenario NAME]      the same view on an embedded simulated cluster
	  $ rollscope sim [--port N]              run the simulated cluster for kubectl and rollscope
	  $ rollscope gate TARGET [--for 10m]     judge the canary headless, for CI (exit 0/1/3/4)
	  $ rollscope record TARGET -o FILE       record a release headless, to replay later
	  $ rollscope replay FILE [--speed X]     the same view on a recording, with no cluster
	  $ rollscope completion bash|zsh|fish    a shell completion script
	  $ rollscope COMMAND --help              the usage of one command

	TARGET
	  deploy/NAME, svc/NAME, rollout/NAME, canary/NAME, krollout/NAME (Kruise) or NAME; without
	  one, a picker lists the releases in the namespace

	Options
	  -n, --namespace NS      namespace (default: the context's, else "default")
	  -A, --all-namespaces    list the releases of every namespace (enter opens one, esc comes back)
	  --context NAME          kubeconfig context (default: the current one)
	  --kubeconfig FILE       kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
	  --once                  print one snapshot and exit
	  -o, --output FORMAT     with --once: text (default) or json
	  -v, --v N               log the requests to the API and Prometheus (as kubectl -v 6: method, URL,
	                          status, time; from 8 also headers and bodies; credentials masked): to
	                          stderr with --once and gate, to a file the live view names on screen

	Actions
	  --read-only             no action may change the cluster
	  --dry-run               show the patch an action would send instead of sending it
	  --router KIND           how to move traffic: istio, gateway-api, smi, nginx, traefik, replicas

	Metrics
	  --prometheus URL        Prometheus-compatible API (or ROLLSCOPE_PROMETHEUS_URL); credentials
	                          go in the environment or the config file, never on the command line
	  --metrics PRESET        istio, nginx, linkerd or generic (default: detected)
	  --config FILE           YAML config (default: ~/.config/rollscope/config.yaml)
	  --interval SECONDS      metrics refresh (default 5, or metrics.interval in the config)

	Gate (exit 0 healthy, 1 SLO failure, 2 usage error, 3 still collecting at the end,
	      4 Prometheus unreachable or failing for the whole run)
	  --for DURATION          how long to watch (default 10m)
	  --window DURATION       the window each verdict counts over (default 1m)
	  --max-error-ratio R     fail above this error ratio of the new version, e.g. 1%
	  --max-p95 DURATION      fail above this p95 of the new version, e.g. 300ms
	  --abort-on-fail         abort the release on failure (as the view's abort action)

	Verdict in the live view (from --prometheus; the demo without one judges from the sim's own
	series, as gate does on a rollscope sim; --window and --interval as above)
	  --auto-abort            after a fail verdict, abort by itself once a countdown ends (c cancels)
	  --auto-abort-delay D    the countdown (default 30s)
	  --auto-advance          while the verdict passes, move the canary to the next step of the
	                          weight plan every --step-interval; marginal or fail stops it
	  --step-interval D       time between automatic steps (default 2m)
	  --max-error-ratio, --max-p95 (as for gate) apply to the view's verdict too
	  The judge's settings (minRequests, alpha, margins, failAfter, limits) live in the
	  config file's verdict: section; the flags above win over it.

	History, recordings and replay (in the view: < > marks, shift-← → a minute, end live)
	  --record FILE           the live view (and demo): record the release to FILE as it runs
	  -o FILE                 record: the file to write (gzip-compressed NDJSON; must not exist)
	  --for DURATION          record: how long (default: until ctrl-c)
	  --speed X               replay: play X times faster (default 1)
	  --at TIME               replay: start there, paused (with --once: print that moment);
	                          HH:MM:SS on the recording's day (local time) or an ISO time
	  --once [-o json]        replay: print the state at --at (default: the end) and exit
	  --report                replay: print the recording's timeline as Markdown, for a post-mortem

	Demo and sim options
	  --scenario NAME         rolling, canary, canary-bad, bluegreen, gateway, smi, nginx,
	                          bookinfo, header-canary, argo-canary, argo-bluegreen, flagger,
	                          kruise, stuck, all
	  --speed X               run the simulated clock X times faster (default 1)
	  --pods N                scale the scenario to about N pods
	  --port N                sim: port on 127.0.0.1 (default 0: a free one)
	  --kubeconfig-out FILE   sim: where to write its kubeconfig
	  --state FILE            sim: load the cluster (and its CA, keys and tokens) from FILE at
	                          start, save it there on exit
	  --insecure-http         sim: serve plain HTTP instead of HTTPS; requests without
	                          credentials act as admin (for tools that cannot do TLS)

	Other
	  -h, --help              show this help
	  --version               show the version

	The terminal
	  Ctrl-Z suspends the view (fg brings it back); NO_COLOR=1 or TERM=dumb turn colours off,
	  FORCE_COLOR=0..3 sets them; ? in the view lists the keys.

	Examples
	  $ rollscope demo
	  $ rollscope deploy/checkout -n shop
	  $ rollscope checkout --once -o json
	  $ rollscope replay incident.ndjson.gz --report > post-mortem.md
	  $ source <(rollscope completion bash)
`;

/** What each other command is, and how it is called. */
const commandUsage: Record<Exclude<CommandName, 'watch'>, {usage: string[]; about: string[]; extra?: string[]}> = {
	demo: {
		usage: ['rollscope demo [TARGET] [--scenario NAME]'],
		about: ['The live view on an embedded simulated cluster: no cluster needed.'],
	},
	sim: {
		usage: ['rollscope sim [--scenario NAME] [--port N]'],
		about: ['Run the simulated cluster in the foreground for kubectl and rollscope, until Ctrl-C.'],
	},
	gate: {
		usage: ['rollscope gate TARGET --prometheus URL [--for 10m]', 'rollscope gate TARGET [--for 10m]          (on a rollscope sim: its own series)'],
		about: [
			'Judge the new version against the old one headless, for CI: every --interval one line,',
			'at the end one result and its exit code.',
		],
		extra: [
			'Exit codes',
			'  0  healthy for --for, or the release finished healthy',
			'  1  SLO failure (the release is aborted first with --abort-on-fail)',
			'  2  usage or setup error',
			'  3  still collecting when time ran out: too little traffic to judge',
			'  4  Prometheus unreachable or failing for the whole run: nothing was judged',
		],
	},
	record: {
		usage: ['rollscope record TARGET -o FILE [--for DURATION]'],
		about: ['Record a release headless (no terminal needed) to a gzip-compressed NDJSON file, until', '--for ends or Ctrl-C; replay it later with rollscope replay FILE.'],
	},
	replay: {
		usage: ['rollscope replay FILE [--speed X] [--at TIME]', 'rollscope replay FILE --once [-o json] [--at TIME]', 'rollscope replay FILE --report'],
		about: ['The live view on a recording, with no cluster: the time keys move through it, actions are off.'],
	},
	completion: {
		usage: ['rollscope completion bash|zsh|fish'],
		about: ['Print a script that completes rollscope\'s commands, flags, --context and -n values and', 'release targets (read from the cluster) at <TAB>.'],
		extra: [
			'Install',
			'  bash   source <(rollscope completion bash)        (or save it in ~/.local/share/bash-completion/completions/rollscope)',
			'  zsh    source <(rollscope completion zsh)         (or save it as _rollscope on $fpath)',
			'  fish   rollscope completion fish > ~/.config/fish/completions/rollscope.fish',
		],
	},
};

function flagLine(spec: Pick<FlagSpec, 'name' | 'short' | 'value' | 'description'>): string {
	const left = `${spec.short && spec.short !== spec.name ? `-${spec.short}, ` : ''}--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
	return `  ${left.padEnd(24)}${spec.description}`;
}

/** The text `rollscope COMMAND --help` prints. */
export function helpText(command: CommandName, description = ''): string {
	if (command === 'watch') {
		const body = mainHelp.replace(/^\t/gm, '').replace(/^\n/, '');
		return `${description ? `\n  ${description}\n\n` : '\n'}${body.split('\n').map(l => (l === '' ? '' : `  ${l}`)).join('\n')}`;
	}
	const {usage, about, extra} = commandUsage[command];
	const lines = ['', ...usage.map(u => `  $ ${u}`), '', ...about.map(a => `  ${a}`), ''];
	const flags = flagSpecs.filter(f => f.commands.includes(command));
	if (flags.length > 0) lines.push('  Options', ...flags.map(f => `  ${flagLine(f)}`), '');
	lines.push('  Other', ...commonFlags.map(f => `  ${flagLine(f)}`), '');
	if (extra) lines.push(...extra.map(e => `  ${e}`), '');
	return lines.join('\n');
}
