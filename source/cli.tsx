#!/usr/bin/env node
// Parses argv and hands over to one command.
import meow from 'meow';
import {usageError} from './commands/flags.js';
import {runCommand} from './commands/index.js';

const help = `
	Usage
	  $ rollscope [TARGET] [-n NAMESPACE]     watch a release live
	  $ rollscope demo [--scenario NAME]      the same view on an embedded simulated cluster
	  $ rollscope sim [--port N]              run the simulated cluster for kubectl and rollscope
	  $ rollscope gate TARGET [--for 10m]     judge the canary headless, for CI (exit 0/1/3)

	TARGET
	  deploy/NAME, svc/NAME, rollout/NAME, canary/NAME or NAME; without one, a picker lists the
	  releases in the namespace

	Options
	  -n, --namespace NS      namespace (default: the context's, else "default")
	  --context NAME          kubeconfig context (default: the current one)
	  --kubeconfig FILE       kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
	  --once                  print one snapshot and exit
	  -o, --output FORMAT     with --once: text (default) or json

	Actions
	  --read-only             no action may change the cluster
	  --dry-run               show the patch an action would send instead of sending it
	  --router KIND           how to move traffic: istio, gateway-api, smi, nginx, traefik, replicas

	Metrics
	  --prometheus URL        Prometheus-compatible API (or ROLLSCOPE_PROMETHEUS_URL)
	  --metrics PRESET        istio, nginx, linkerd or generic (default: detected)
	  --config FILE           YAML config (default: ~/.config/rollscope/config.yaml)
	  --interval SECONDS      metrics refresh (default 5, or metrics.interval in the config)

	Gate (exit 0 healthy, 1 SLO failure, 3 still collecting at the end, 2 usage error)
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

	Demo and sim options
	  --scenario NAME         rolling, canary, canary-bad, bluegreen, gateway, smi, nginx,
	                          bookinfo, header-canary, argo-canary, argo-bluegreen, flagger, all
	  --speed X               run the simulated clock X times faster (default 1)
	  --pods N                scale the scenario to about N pods
	  --port N                sim: port on 127.0.0.1 (default 0: a free one)
	  --kubeconfig-out FILE   sim: where to write its kubeconfig
	  --state FILE            sim: load the cluster (and its CA, keys and tokens) from FILE at
	                          start, save it there on exit
	  --insecure-http         sim: serve plain HTTP instead of HTTPS; requests without
	                          credentials act as admin (for tools that cannot do TLS)

	Other
	  --help                  show this help
	  --version               show the version

	Examples
	  $ rollscope demo
	  $ rollscope deploy/checkout -n shop
	  $ rollscope checkout --once -o json
`;

export const flags = {
	namespace: {type: 'string', shortFlag: 'n'},
	context: {type: 'string'},
	kubeconfig: {type: 'string'},
	once: {type: 'boolean', default: false},
	output: {type: 'string', shortFlag: 'o', default: 'text'},
	scenario: {type: 'string'},
	speed: {type: 'number', default: 1},
	pods: {type: 'number'},
	port: {type: 'number', default: 0},
	kubeconfigOut: {type: 'string'},
	state: {type: 'string'},
	insecureHttp: {type: 'boolean', default: false},
	readOnly: {type: 'boolean', default: false},
	dryRun: {type: 'boolean', default: false},
	router: {type: 'string'},
	prometheus: {type: 'string'},
	metrics: {type: 'string'},
	config: {type: 'string'},
	interval: {type: 'number'},
	for: {type: 'string'},
	window: {type: 'string'},
	maxErrorRatio: {type: 'string'},
	maxP95: {type: 'string'},
	abortOnFail: {type: 'boolean', default: false},
	autoAbort: {type: 'boolean', default: false},
	autoAbortDelay: {type: 'string'},
	autoAdvance: {type: 'boolean', default: false},
	stepInterval: {type: 'string'},
} as const;

const cli = meow(help, {importMeta: import.meta, flags, allowUnknownFlags: true, autoHelp: true, autoVersion: true});

const known = new Set(['help', 'version', ...Object.keys(flags), ...Object.values(flags).flatMap(f => ('shortFlag' in f ? [f.shortFlag] : []))]);
const unknown = Object.keys(cli.unnormalizedFlags).find(f => !known.has(f) && !known.has(f.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())));
if (unknown) usageError(`unknown flag --${unknown}; see rollscope --help`);

process.exitCode = await runCommand(cli.input, cli.flags);
