#!/usr/bin/env node
// Reads argv against the flag table and hands over to one command; answers --help and --version, and the
// shell completion's hidden `__complete`. Errors nobody caught end as one line and a report (crash.ts).
import {parseArgs} from './commands/args.js';
import {applyColourChoice} from './commands/colour.js';
import {crash, installCrashHandler} from './commands/crash.js';
import {usageError} from './commands/flags.js';
import {helpText} from './commands/help.js';
import {runCommand} from './commands/index.js';

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	installCrashHandler(argv);
	// Before any view (and Ink's chalk) is loaded.
	applyColourChoice();

	try {
		if (argv[0] === '__complete') {
			const {complete} = await import('./commands/completion.js');
			process.exitCode = await complete(argv.slice(1));
		} else {
			const parsed = parseArgs(argv);
			if (!('error' in parsed) && (parsed.help || parsed.version)) {
				// meow reads the package.json (the single executable's build hands it in). It is loaded only here: with
				// the package.json reader and license checker it brings, it is an eighth of the code a start loads.
				const {default: meow} = await import('meow');
				const {pkg} = meow({importMeta: import.meta, argv: [], autoHelp: false, autoVersion: false});
				process.stdout.write(parsed.version && !parsed.help ? `${pkg.version ?? ''}\n` : `${helpText(parsed.command, pkg.description)}\n`);
			} else if ('error' in parsed) {
				usageError(/--help$/.test(parsed.error) ? parsed.error : `${parsed.error}; see rollscope${parsed.command === 'watch' ? '' : ` ${parsed.command}`} --help`);
			} else {
				process.exitCode = await runCommand(parsed.command, parsed.positionals, parsed.flags);
			}
		}
	} catch (error) {
		crash(error, argv);
	}
}

// Not awaited at top level: the bundle is CommonJS (source/build/bundles.ts), which has no top-level await.
void main();
