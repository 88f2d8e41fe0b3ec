// The command line, read against the flag table (flags.ts): the command, its arguments and its flags, or
// one line that says what is wrong (an unknown flag, a flag given twice, a missing or malformed value, a
// flag the command does not take). Pure: the caller prints and exits.
import {commandNames, defaultFlags, flagLabel, flagSpecs, type CommandName, type FlagSpec, type Flags} from './flags.js';

export type ParsedArgs = {
	command: CommandName;
	/** The words after the command (for watch: all of them). */
	positionals: string[];
	flags: Flags;
	help: boolean;
	version: boolean;
};

const byName = new Map(flagSpecs.map(f => [f.name, f]));
const byShort = new Map(flagSpecs.flatMap(f => (f.short ? [[f.short, f] as const] : [])));

/** The command a list of words runs, and its arguments: the first word when it names one, else watch. */
export function commandOf(positionals: string[]): {command: CommandName; rest: string[]} {
	const [first, ...rest] = positionals;
	if (first !== undefined && first !== 'watch' && (commandNames as readonly string[]).includes(first)) return {command: first as CommandName, rest};
	return {command: 'watch', rest: positionals};
}

/** Read argv (without node and the script); an error is one line for the user. */
export function parseArgs(argv: readonly string[]): ParsedArgs | {error: string; command: CommandName} {
	const positionals: string[] = [];
	const given = new Map<FlagSpec, {as: string; value: string | boolean}>();
	let help = false;
	let version = false;
	const errors: string[] = [];

	const set = (spec: FlagSpec, as: string, value: string | boolean) => {
		const before = given.get(spec);
		if (before) {
			const shown = (v: string | boolean) => (typeof v === 'string' ? JSON.stringify(v) : '');
			errors.push(`${flagLabel(spec)} is given twice${typeof value === 'string' ? ` (${shown(before.value)} and ${shown(value)})` : ''}; give it once`);
			return;
		}
		given.set(spec, {as, value});
	};

	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--') {
			positionals.push(...argv.slice(i + 1));
			break;
		}
		let spec: FlagSpec | undefined;
		let as: string;
		let inline: string | undefined;
		if (arg.startsWith('--')) {
			const eq = arg.indexOf('=');
			const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
			inline = eq < 0 ? undefined : arg.slice(eq + 1);
			as = `--${name}`;
			if (name === 'help' || name === 'version') {
				if (inline !== undefined) errors.push(`${as} takes no value`);
				if (name === 'help') help = true;
				else version = true;
				continue;
			}
			spec = byName.get(name);
		} else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
			const letter = arg[1]!;
			as = `-${letter}`;
			const tail = arg.slice(2);
			inline = tail === '' ? undefined : tail.replace(/^=/, '');
			if (letter === 'h' && tail === '') {
				help = true;
				continue;
			}
			spec = byShort.get(letter);
			if (spec?.type === 'boolean' && inline !== undefined) spec = undefined;
		} else {
			positionals.push(arg);
			continue;
		}
		if (!spec) {
			errors.push(`unknown flag ${arg.split('=')[0]}`);
			continue;
		}
		if (spec.type === 'boolean') {
			if (inline === undefined || inline === 'true') set(spec, as, true);
			else if (inline === 'false') set(spec, as, false);
			else errors.push(`${as} takes no value (or =true, =false), not ${JSON.stringify(inline)}`);
			continue;
		}
		let value = inline;
		if (value === undefined) {
			const next = argv[i + 1];
			if (next === undefined || (next.startsWith('--') && next.length > 2)) {
				errors.push(`${as} needs a value${spec.value ? ` (${spec.value})` : ''}`);
				continue;
			}
			value = next;
			i++;
		}
		if (value.trim() === '') {
			errors.push(`${as} needs a value${spec.value ? ` (${spec.value})` : ''}, not an empty one`);
			continue;
		}
		set(spec, as, value);
	}

	const {command, rest} = commandOf(positionals);
	// --help answers whatever else is on the line.
	if (help) return {command, positionals: rest, flags: {...defaultFlags}, help, version};
	if (errors.length > 0) return {error: errors[0]!, command};
	const flags: Flags = {...defaultFlags};
	for (const [spec, {as, value}] of given) {
		if (!spec.commands.includes(command)) {
			const where = command === 'watch' ? 'the live view' : `rollscope ${command}`;
			// A flag of one command names it: --at is for rollscope replay FILE.
			const only = spec.commands.length === 1 ? spec.commands[0]! : undefined;
			const hint = only === undefined ? `see rollscope${command === 'watch' ? '' : ` ${command}`} --help` : `${as} is for rollscope ${only}${only === 'replay' ? ' FILE' : ''}`;
			return {error: `${as} does not apply to ${where}; ${hint}`, command};
		}
		if (spec.type === 'number') {
			const n = Number(value);
			if (typeof value !== 'string' || !Number.isFinite(n) || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim())) {
				return {error: `${as} expects a number${spec.value ? ` (${spec.value})` : ''}, not ${JSON.stringify(value)}`, command};
			}
			(flags as Record<string, unknown>)[spec.key] = n;
		} else {
			(flags as Record<string, unknown>)[spec.key] = value;
		}
	}
	if (flags.v !== undefined && !(Number.isInteger(flags.v) && flags.v >= 0 && flags.v <= 10)) return {error: `-v expects a level from 0 to 10, not ${flags.v}`, command};
	return {command, positionals: rest, flags, help, version};
}
