// rollscope's config file: YAML at --config FILE, else $XDG_CONFIG_HOME/rollscope/config.yaml (or
// ~/.config/rollscope/config.yaml). Every key is checked; problems are reported together, each with
// its path and line. The file format grows by adding a section to `configSections`.
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {isMap, isScalar, LineCounter, parseDocument, type Document} from 'yaml';
import {actionFields, type ActionsConfig} from './actions.js';
import {mapping, pathText, type ConfigIssue, type Fields} from './check.js';
import {metricsSection, type MetricsConfig} from './metrics.js';
import {prometheusSection, type PrometheusConfig} from './prometheus.js';
import {verdictSection, type VerdictConfig} from './verdict.js';

export type RollscopeConfig = {
	prometheus?: PrometheusConfig;
	metrics?: MetricsConfig;
	verdict?: VerdictConfig;
} & ActionsConfig;

/** The top-level keys of the file and how each is checked. A new feature adds its key here. */
export const configSections: Fields<RollscopeConfig> = {
	prometheus: prometheusSection,
	metrics: metricsSection,
	verdict: verdictSection,
	...actionFields,
};

export class ConfigError extends Error {
	override name = 'ConfigError';
	constructor(readonly file: string, readonly issues: string[]) {
		super(`config ${file}:\n${issues.map(i => `  ${i}`).join('\n')}`);
	}
}

export type Env = Record<string, string | undefined>;

/** Where the config is read from when --config is not given. */
export function defaultConfigPath(env: Env = process.env, home = homedir()): string {
	const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(home, '.config');
	return join(base, 'rollscope', 'config.yaml');
}

type Ranged = {range?: [number, number, number]};

/** Where a key of the mapping at `path` starts. */
function keyOffset(doc: Document, path: string[], key: string): number | undefined {
	const parent = (path.length === 0 ? doc.contents : doc.getIn(path, true)) as unknown;
	if (!isMap(parent)) return undefined;
	const pair = parent.items.find(p => isScalar(p.key) && String(p.key.value) === key);
	return (pair?.key as Ranged | undefined)?.range?.[0];
}

/** The config in a YAML text; throws a ConfigError that lists every problem with its line. */
export function parseConfig(text: string, file: string): RollscopeConfig {
	const lines = new LineCounter();
	const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true});
	if (doc.errors.length > 0) {
		throw new ConfigError(file, doc.errors.map(e => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
	}
	const issues: ConfigIssue[] = [];
	const value = doc.toJS();
	const config = mapping(configSections, 'key')(value, [], issues) ?? {};
	if (issues.length > 0) {
		throw new ConfigError(file, issues.map(issue => {
			const offset = issue.at ? keyOffset(doc, issue.path, issue.at.at(-1)!) : (doc.getIn(issue.path, true) as Ranged | undefined)?.range?.[0];
			const line = offset === undefined ? '' : `line ${lines.linePos(offset).line}: `;
			const where = issue.at ? '' : `${pathText(issue.path)}: `;
			return `${line}${where}${issue.message}`;
		}));
	}
	return config;
}

/** Read --config FILE (which must exist), else the default file when there is one. */
export function loadConfig(options: {path?: string; env?: Env; home?: string} = {}): {config: RollscopeConfig; path?: string} {
	const explicit = options.path;
	const file = explicit ?? defaultConfigPath(options.env, options.home);
	if (!explicit && !existsSync(file)) return {config: {}};
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError(file, [`cannot read it: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`]);
	}
	return {config: parseConfig(text, file), path: file};
}
