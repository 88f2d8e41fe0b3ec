// The one settings value of a run: flags, environment and the config file resolved once, here at the edge,
// into typed and checked settings for the Kubernetes client, the actions, the metrics, the verdict and the
// view. Flags win over the environment, which wins over the file. Every problem names where it came from:
// the flag, the variable, or the file and line. Nothing below the commands reads argv, the environment or
// the config file; they are handed what they need from here.
import {defaultActionConfig, type ActionConfig, type ActionOptions} from '../actions/config.js';
import type {PromConnection} from '../metrics/prometheus-client.js';
import type {MetricsSettings} from '../metrics/settings.js';
import {routerChoices} from '../traffic/routers.js';
import type {VerdictSettings} from '../verdict/settings.js';
import {ConfigError, loadConfig, type Env, type RollscopeConfig} from './config.js';
import {metricsSettings} from './metrics.js';
import {prometheusConnection} from './prometheus-connection.js';
import {verdictSettings, type VerdictFlags} from './verdict.js';

/** The variable that overrides confirmByName: comma-separated namespace patterns. */
export const CONFIRM_ENV = 'ROLLSCOPE_CONFIRM_BY_NAME';

export const defaultInterval = 5;

/** The flags the settings are resolved from (as the command line parser gives them). */
export type SettingsFlags = VerdictFlags & {
	config?: string;
	readOnly?: boolean;
	dryRun?: boolean;
	router?: string;
	prometheus?: string;
	metrics?: string;
	interval?: number;
};

export type Settings = {
	/** The config file that was read, if any. */
	configFile?: string;
	/** Seconds between metric refreshes and verdicts: --interval, else metrics.interval, else 5. */
	interval: number;
	actions: ActionOptions;
	metrics: MetricsSettings;
	/** Whether the config file set the rate window (the demo picks a shorter one otherwise). */
	rateWindowConfigured: boolean;
	/** How to reach Prometheus; absent: no URL anywhere (metrics off, unless the demo has its own). */
	prometheus?: PromConnection;
	verdict: VerdictSettings;
	/** TERM=dumb: a terminal without cursor movement, where the live view cannot be drawn. */
	dumbTerminal: boolean;
};

/** Settings that cannot be used; each problem is one line that says where it came from. */
export class SettingsError extends Error {
	override name = 'SettingsError';
	constructor(readonly problems: string[]) {
		super(problems.join('\n'));
	}
}

function actionConfig(config: RollscopeConfig, env: Env): ActionConfig {
	const out: ActionConfig = {...defaultActionConfig, weightPlan: [...defaultActionConfig.weightPlan]};
	if (config.confirmByName !== undefined) out.confirmByName = config.confirmByName;
	if (config.weightStep !== undefined) out.weightStep = config.weightStep;
	if (config.weightPlan !== undefined) out.weightPlan = config.weightPlan;
	if (config.abortScalesCanary !== undefined) out.abortScalesCanary = config.abortScalesCanary;
	const fromEnv = env[CONFIRM_ENV];
	if (fromEnv !== undefined) out.confirmByName = fromEnv.split(',').map(p => p.trim()).filter(Boolean);
	return out;
}

/** Resolve the settings of a run; throws SettingsError listing every problem found. */
export function resolveSettings(flags: SettingsFlags, env: Env = process.env): Settings {
	const problems: string[] = [];
	let config: RollscopeConfig = {};
	let configFile: string | undefined;
	try {
		({config, path: configFile} = loadConfig({path: flags.config, env}));
	} catch (error) {
		// Each issue of the file on its own line, with the file's name and the line.
		if (error instanceof ConfigError) throw new SettingsError(error.issues.map(issue => `config ${error.file}: ${issue}`));
		throw error;
	}
	if (flags.router !== undefined && !(routerChoices as readonly string[]).includes(flags.router)) {
		problems.push(`unknown --router "${flags.router}"; use one of ${routerChoices.join(', ')}`);
	}
	let interval = config.metrics?.interval ?? defaultInterval;
	if (flags.interval !== undefined) {
		if (flags.interval >= 1) interval = flags.interval;
		else problems.push('--interval must be at least 1 (seconds)');
	}
	let metrics: MetricsSettings | undefined;
	try {
		metrics = metricsSettings(config.metrics, {metrics: flags.metrics, interval});
	} catch (error) {
		problems.push(`--metrics: ${(error as Error).message}`);
	}
	let prometheus: PromConnection | undefined;
	try {
		prometheus = prometheusConnection(flags.prometheus, config.prometheus, env);
	} catch (error) {
		problems.push((error as Error).message);
	}
	const verdict = verdictSettings(config.verdict, flags);
	if ('error' in verdict) problems.push(verdict.error);
	if (problems.length > 0 || !metrics || 'error' in verdict) throw new SettingsError(problems);
	const actions: ActionOptions = {readOnly: flags.readOnly ?? false, dryRun: flags.dryRun ?? false, config: actionConfig(config, env)};
	if (flags.router !== undefined) actions.router = flags.router;
	const settings: Settings = {interval, actions, metrics, rateWindowConfigured: config.metrics?.rateWindow !== undefined, verdict, dumbTerminal: env.TERM === 'dumb'};
	if (configFile) settings.configFile = configFile;
	if (prometheus) settings.prometheus = prometheus;
	return settings;
}
