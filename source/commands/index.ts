// Picks the command named by the first argument; anything else is a target to watch.
import {resolveSettings, SettingsError, type Settings} from '../config/settings.js';
import {usageError, type Flags} from './flags.js';

const commands = ['sim', 'demo', 'gate', 'record', 'replay'] as const;

/** The settings of the run, or a usage error that lists every problem with where it came from. */
function settingsOf(flags: Flags): Settings {
	try {
		return resolveSettings(flags);
	} catch (error) {
		if (!(error instanceof SettingsError)) throw error;
		for (const problem of error.problems) process.stderr.write(`rollscope: ${problem}\n`);
		process.exit(2);
	}
}

export async function runCommand(input: string[], flags: Flags): Promise<number> {
	const [first, ...rest] = input;
	if (first === 'record') {
		// Here -o names the file the recording goes to.
		if (rest.length > 1) usageError(`unexpected argument "${rest[1]}"`);
		if (flags.record !== undefined) usageError('record writes to -o FILE; --record is for the live view');
		const settings = settingsOf(flags);
		const {runRecord} = await import('./record.js');
		return runRecord(rest[0], flags, settings);
	}
	if (flags.output !== 'text' && flags.output !== 'json') usageError(`unknown output format "${flags.output}"; use text or json`);
	if (!(flags.speed > 0)) usageError('--speed must be a positive number');
	if (flags.pods !== undefined && !(Number.isInteger(flags.pods) && flags.pods > 0)) usageError('--pods must be a positive whole number');
	if (!(Number.isInteger(flags.port) && flags.port >= 0 && flags.port < 65536)) usageError('--port must be between 0 and 65535');
	if (first === 'replay') {
		if (rest.length === 0) usageError('replay needs the recording: rollscope replay FILE');
		if (rest.length > 1) usageError(`unexpected argument "${rest[1]}"`);
		const {runReplay} = await import('./replay.js');
		return runReplay(rest[0]!, flags);
	}
	if (flags.at !== undefined || flags.report) usageError(`--${flags.at !== undefined ? 'at' : 'report'} is for rollscope replay FILE`);
	if (flags.record !== undefined && (flags.once || first === 'gate' || first === 'sim')) usageError('--record records the live view; for a headless recording use rollscope record TARGET -o FILE');
	if (flags.allNamespaces && first === 'gate') usageError('-A lists the releases of every namespace; gate judges one release (TARGET with -n NAMESPACE)');
	if (flags.allNamespaces && first === 'sim') usageError('-A is for the view and the demo; sim serves the cluster they list');
	if (flags.allNamespaces && (first === 'demo' ? rest.length > 0 : first !== undefined)) usageError('-A lists the releases of every namespace and takes no target: open one from the list, or give TARGET with -n NAMESPACE');
	if (first === 'sim') {
		if (rest.length > 0) usageError(`unexpected argument "${rest[0]}" after sim`);
		const {runSim} = await import('./sim.js');
		return runSim(flags);
	}
	if (first === 'demo') {
		if (rest.length > 1) usageError(`unexpected argument "${rest[1]}"`);
		const settings = settingsOf(flags);
		const {runDemo} = await import('./demo.js');
		return runDemo(rest[0], flags, settings);
	}
	if (first === 'gate') {
		if (rest.length > 1) usageError(`unexpected argument "${rest[1]}"`);
		const settings = settingsOf(flags);
		const {runGate} = await import('./gate.js');
		return runGate(rest[0], flags, settings);
	}
	if (rest.length > 0) usageError(`unexpected argument "${rest[0]}": give one target, or one of the commands ${commands.join(', ')}`);
	const settings = settingsOf(flags);
	const {runWatch} = await import('./watch.js');
	return runWatch(first, flags, settings);
}
