// Runs the command the command line named (args.ts); anything else is a target to watch.
import {resolveSettings, SettingsError, type Settings} from '../config/settings.js';
import {commandNames, usageError, type CommandName, type Flags} from './flags.js';

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

export async function runCommand(command: CommandName, input: string[], flags: Flags): Promise<number> {
	if (command === 'record') {
		// Here -o names the file the recording goes to.
		if (input.length > 1) usageError(`unexpected argument "${input[1]}"`);
		const settings = settingsOf(flags);
		const {runRecord} = await import('./record.js');
		return runRecord(input[0], flags, settings);
	}
	if (flags.output !== 'text' && flags.output !== 'json') usageError(`unknown output format "${flags.output}"; use text or json`);
	if (!(flags.speed > 0)) usageError('--speed must be a positive number');
	if (flags.pods !== undefined && !(Number.isInteger(flags.pods) && flags.pods > 0)) usageError('--pods must be a positive whole number');
	if (!(Number.isInteger(flags.port) && flags.port >= 0 && flags.port < 65536)) usageError('--port must be between 0 and 65535');
	if (flags.record !== undefined && flags.once) usageError('--record records the live view; for a headless recording use rollscope record TARGET -o FILE');
	if (flags.allNamespaces && (command === 'demo' ? input.length > 0 : input.length > 0)) usageError('-A lists the releases of every namespace and takes no target: open one from the list, or give TARGET with -n NAMESPACE');
	switch (command) {
		case 'replay': {
			if (input.length === 0) usageError('replay needs the recording: rollscope replay FILE');
			if (input.length > 1) usageError(`unexpected argument "${input[1]}"`);
			const {runReplay} = await import('./replay.js');
			return runReplay(input[0]!, flags);
		}
		case 'sim': {
			if (input.length > 0) usageError(`unexpected argument "${input[0]}" after sim`);
			const {runSim} = await import('./sim.js');
			return runSim(flags);
		}
		case 'completion': {
			if (input.length !== 1) usageError(input.length === 0 ? 'name a shell: rollscope completion bash, zsh or fish' : `unexpected argument "${input[1]}"`);
			const {completionScript, shells} = await import('./completion.js');
			const script = completionScript(input[0]!);
			if (script === undefined) usageError(`no completion for the shell "${input[0]}"; use one of ${shells.join(', ')}`);
			process.stdout.write(script);
			return 0;
		}
		case 'demo': {
			if (input.length > 1) usageError(`unexpected argument "${input[1]}"`);
			const settings = settingsOf(flags);
			const {runDemo} = await import('./demo.js');
			return runDemo(input[0], flags, settings);
		}
		case 'gate': {
			if (input.length > 1) usageError(`unexpected argument "${input[1]}"`);
			const settings = settingsOf(flags);
			const {runGate} = await import('./gate.js');
			return runGate(input[0], flags, settings);
		}
		case 'watch': {
			if (input.length > 1) usageError(`unexpected argument "${input[1]}": give one target, or one of the commands ${commandNames.filter(c => c !== 'watch').join(', ')}`);
			const settings = settingsOf(flags);
			const {runWatch} = await import('./watch.js');
			return runWatch(input[0], flags, settings);
		}
	}
}
