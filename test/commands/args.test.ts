// The command line against the flag table: every bad flag is one line, the same for every command; each
// command's --help; and the same usage errors from the real CLI (exit 2, no stack trace) in the live view,
// --once and gate.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {parseArgs} from '../../source/commands/args.js';
import {commandNames, flagSpecs} from '../../source/commands/flags.js';
import {helpText} from '../../source/commands/help.js';
import {repoRoot} from '../helpers/tmux.js';

const error = (argv: string[]) => {
	const parsed = parseArgs(argv);
	assert.ok('error' in parsed, `expected an error for ${argv.join(' ')}`);
	return parsed.error;
};
const flags = (argv: string[]) => {
	const parsed = parseArgs(argv);
	assert.ok(!('error' in parsed), 'error' in parsed ? parsed.error : '');
	return parsed;
};

describe('the parser', () => {
	test('commands, targets and flags in any order; values inline or after; defaults', () => {
		const p = flags(['-n', 'shop', 'deploy/checkout', '--once', '-o=json', '--interval=2']);
		assert.equal(p.command, 'watch');
		assert.deepEqual(p.positionals, ['deploy/checkout']);
		assert.equal(p.flags.namespace, 'shop');
		assert.equal(p.flags.once, true);
		assert.equal(p.flags.output, 'json');
		assert.equal(p.flags.interval, 2);
		assert.equal(p.flags.readOnly, false);
		const g = flags(['gate', 'deploy/x', '-nshop', '--for', '10m']);
		assert.equal(g.command, 'gate');
		assert.deepEqual(g.positionals, ['deploy/x']);
		assert.equal(g.flags.namespace, 'shop');
		assert.equal(flags(['sim', '--port', '0']).flags.port, 0);
		assert.deepEqual(flags(['--', '--weird-target']).positionals, ['--weird-target']);
	});

	test('-v N, -vN, --v=N and --v N', () => {
		for (const argv of [['-v', '6'], ['-v6'], ['--v=6'], ['--v', '6'], ['-v=6']]) assert.equal(flags(['x', ...argv]).flags.v, 6, argv.join(' '));
		assert.equal(error(['x', '-v', '11']), '-v expects a level from 0 to 10, not 11');
		assert.equal(error(['x', '-v', 'lots']), '-v expects a number (N), not "lots"');
	});

	test('every bad flag is one line', () => {
		assert.equal(error(['sim', '--port', '0', '--port', '4000']), '--port is given twice ("0" and "4000"); give it once');
		assert.equal(error(['x', '--once', '--once']), '--once is given twice; give it once');
		assert.equal(error(['x', '-n', 'a', '--namespace', 'b']), '-n/--namespace is given twice ("a" and "b"); give it once');
		assert.equal(error(['x', '--bogus']), 'unknown flag --bogus');
		assert.equal(error(['x', '-z']), 'unknown flag -z');
		assert.equal(error(['x', '--readOnly']), 'unknown flag --readOnly');
		assert.equal(error(['x', '-n']), '-n needs a value (NS)');
		assert.equal(error(['x', '--namespace', '--once']), '--namespace needs a value (NS)');
		assert.equal(error(['x', '--namespace=']), '--namespace needs a value (NS), not an empty one');
		assert.equal(error(['x', '--interval', 'abc']), '--interval expects a number (SECONDS), not "abc"');
		assert.equal(error(['sim', '--port', '12abc']), '--port expects a number (N), not "12abc"');
		assert.equal(error(['x', '--once=maybe']), '--once takes no value (or =true, =false), not "maybe"');
		assert.equal(error(['x', '--version=yes']), '--version takes no value');
		assert.equal(error(['x', '--scenario', 'canary']), '--scenario does not apply to the live view; see rollscope --help');
		assert.equal(error(['gate', 'x', '--once']), '--once does not apply to rollscope gate; see rollscope gate --help');
		assert.equal(error(['sim', '--prometheus', 'http://p']), '--prometheus does not apply to rollscope sim; see rollscope sim --help');
	});

	test('each flag of the table: twice, without its value, with a malformed one, on a command it does not apply to', () => {
		const value = (type: string) => (type === 'number' ? '3' : 'x');
		for (const spec of flagSpecs) {
			const command = spec.commands[0]!;
			const before = command === 'watch' ? [] : [command];
			const as = `--${spec.name}`;
			const once = spec.type === 'boolean' ? [as] : [as, value(spec.type)];
			assert.ok(!('error' in parseArgs([...before, ...once])), `${as} alone is fine for ${command}`);
			assert.match(error([...before, ...once, ...once]), new RegExp(`^(-${spec.short}/--${spec.name}|--${spec.name}|-${spec.name}) is given twice`), as);
			if (spec.type !== 'boolean') assert.equal(error([...before, as]), `${as} needs a value (${spec.value})`);
			if (spec.type === 'number') assert.equal(error([...before, as, 'many']), `${as} expects a number (${spec.value}), not "many"`);
			const other = (['watch', 'demo', 'sim', 'gate', 'completion'] as const).find(c => !spec.commands.includes(c))!;
			assert.match(error([...(other === 'watch' ? [] : [other]), ...once]), new RegExp(`^${as} does not apply to `), `${as} on ${other}`);
		}
	});

	test('--help answers whatever else is on the line, for the command it names', () => {
		const p = flags(['gate', '--bogus', '--help']);
		assert.equal(p.command, 'gate');
		assert.equal(p.help, true);
		assert.equal(flags(['-h']).help, true);
		assert.equal(flags(['--version']).version, true);
	});

	test('every flag of the table is in the main help and in the help of each command it applies to', () => {
		const main = helpText('watch');
		for (const spec of flagSpecs) {
			assert.ok(main.includes(`--${spec.name}`), `--${spec.name} is not in rollscope --help`);
			for (const command of spec.commands) if (command !== 'watch') assert.ok(helpText(command).includes(`--${spec.name}`), `--${spec.name} is not in rollscope ${command} --help`);
		}
		for (const command of commandNames) if (command !== 'watch') assert.match(helpText(command), new RegExp(`\\$ rollscope ${command}`));
	});
});

type Run = {code: number | null; stdout: string; stderr: string};

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', ...args], {cwd: repoRoot, env: {...process.env, KUBECONFIG: '/nonexistent/kubeconfig', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
	const run: Run = {code: null, stdout: '', stderr: ''};
	child.stdout.on('data', d => (run.stdout += String(d)));
	child.stderr.on('data', d => (run.stderr += String(d)));
	return new Promise(resolve => child.on('exit', code => resolve({...run, code})));
}

/** One line on stderr, exit 2, nothing on stdout, no stack trace. */
function assertUsageError(r: Run, message: RegExp) {
	assert.equal(r.code, 2, r.stderr);
	assert.equal(r.stdout, '');
	assert.match(r.stderr, message);
	assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('the CLI', () => {
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-args-'));
	after(() => rmSync(dir, {recursive: true, force: true}));

	test('--help of each command prints its usage and exits 0', async () => {
		const runs = await Promise.all([[], ['demo'], ['sim'], ['gate'], ['completion']].map(c => cli([...c, '--help'])));
		const [main, demo, sim, gate, completion] = runs;
		for (const r of runs) {
			assert.equal(r.code, 0, r.stderr);
			assert.equal(r.stderr, '');
		}
		assert.match(main!.stdout, /\$ rollscope \[TARGET\] \[-n NAMESPACE\]/);
		assert.match(demo!.stdout, /\$ rollscope demo \[TARGET\] \[--scenario NAME\]/);
		assert.match(sim!.stdout, /\$ rollscope sim /);
		assert.match(sim!.stdout, /--kubeconfig-out FILE/);
		assert.doesNotMatch(sim!.stdout, /--prometheus/);
		assert.match(gate!.stdout, /\$ rollscope gate TARGET/);
		assert.match(gate!.stdout, /4 {2}Prometheus unreachable or failing for the whole run/);
		assert.match(completion!.stdout, /\$ rollscope completion bash\|zsh\|fish/);
	});

	test('a flag given twice, an unknown flag and a bad value are one line and exit 2', async () => {
		assertUsageError(await cli(['sim', '--port', '0', '--port', '4000']), /^rollscope: --port is given twice \("0" and "4000"\); give it once; see rollscope sim --help\n$/);
		assertUsageError(await cli(['deploy/x', '--once', '--nope']), /^rollscope: unknown flag --nope; see rollscope --help\n$/);
		assertUsageError(await cli(['deploy/x', '--once', '-o', 'yaml']), /^rollscope: unknown output format "yaml"; use text or json\n$/);
		assertUsageError(await cli(['completion', 'tcsh']), /^rollscope: no completion for the shell "tcsh"; use one of bash, zsh, fish\n$/);
	});

	test('a bad --router or config key is the same line, exit 2, in the live view, --once and gate', async () => {
		const config = join(dir, 'bad.yaml');
		writeFileSync(config, 'weightStep: 0\nweightPlan: [5, x]\n');
		for (const args of [['deploy/x'], ['deploy/x', '--once'], ['gate', 'deploy/x', '--prometheus', 'http://127.0.0.1:1']]) {
			const router = await cli([...args, '--router', 'foo']);
			assertUsageError(router, /^rollscope: unknown --router "foo"; use one of istio, gateway-api, smi, traefik, nginx, replicas\n$/);
			const bad = await cli([...args, '--config', config]);
			assert.equal(bad.code, 2, bad.stderr);
			assert.equal(bad.stderr, `rollscope: config ${config}: line 1: weightStep: expected a whole number from 1 to 100, got 0\nrollscope: config ${config}: line 2: weightPlan: expected a list of whole percentages, such as [5, 25, 50, 100], got a list\n`);
		}
	});

	test('credentials on the command line are refused before anything is sent', async () => {
		assertUsageError(await cli(['deploy/x', '--once', '--prometheus', 'https://prom:9090/?token=s3cr3t']), /^rollscope: --prometheus must not carry credentials \(the query parameter token would show in the process list\)/);
	});
});
