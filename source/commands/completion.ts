// Shell completion: `rollscope completion bash|zsh|fish` prints a script that, at <TAB>, calls back the
// hidden `rollscope __complete WORDS… CURRENT` (as kubectl's cobra completion does). That answers one
// candidate per line: commands, flags (from the flag table), flag values (fixed lists, contexts from the
// kubeconfig, namespaces and release targets from the cluster the typed --kubeconfig/--context/-n name), or
// `:files` for file names. It is quick and quiet: any error or a slow cluster gives no candidates.
import {KubeConfig} from '@kubernetes/client-node';
import {KubeClient} from '../kube/client.js';
import {watchRelease} from '../live/release-watch.js';
import {presetNames} from '../metrics/presets.js';
import {initialState} from '../store/state.js';
import {Store} from '../store/store.js';
import {routerChoices} from '../traffic/routers.js';
import {commandOf} from './args.js';
import {commandNames, commonFlags, flagSpecs, type CommandName, type FlagSpec, type Flags} from './flags.js';

export const shells = ['bash', 'zsh', 'fish'] as const;

/** The answer that asks the shell to complete file names. */
export const filesDirective = ':files';

/** How long the cluster may take before completion gives up. */
const clusterTimeoutMs = 4000;

const byName = new Map(flagSpecs.map(f => [f.name, f]));
const byShort = new Map(flagSpecs.flatMap(f => (f.short ? [[f.short, f] as const] : [])));

/** What the words before the cursor say: the command, its arguments, the flag waiting for a value, the values given. */
export function readWords(words: readonly string[]): {command: (typeof commandNames)[number]; rest: string[]; expecting?: FlagSpec; values: Partial<Flags>} {
	const positionals: string[] = [];
	const values: Partial<Flags> = {};
	let expecting: FlagSpec | undefined;
	for (let i = 0; i < words.length; i++) {
		const word = words[i]!;
		if (expecting) {
			(values as Record<string, string>)[expecting.key] = word;
			expecting = undefined;
			continue;
		}
		if (word === '--') {
			positionals.push(...words.slice(i + 1));
			break;
		}
		let spec: FlagSpec | undefined;
		let inline: string | undefined;
		if (word.startsWith('--')) {
			const eq = word.indexOf('=');
			spec = byName.get(eq < 0 ? word.slice(2) : word.slice(2, eq));
			inline = eq < 0 ? undefined : word.slice(eq + 1);
		} else if (word.startsWith('-') && word.length > 1) {
			spec = byShort.get(word[1]!);
			inline = word.length > 2 ? word.slice(2).replace(/^=/, '') : undefined;
		} else {
			positionals.push(word);
			continue;
		}
		if (!spec || spec.type === 'boolean') continue;
		if (inline === undefined) expecting = spec;
		else (values as Record<string, string>)[spec.key] = inline;
	}
	return {...commandOf(positionals), ...(expecting ? {expecting} : {}), values};
}

/** A client for the kubeconfig, context and namespace the typed words name; undefined when it cannot load. */
function clientFor(values: Partial<Flags>): KubeClient | undefined {
	try {
		return KubeClient.load({kubeconfig: values.kubeconfig, context: values.context, namespace: values.namespace});
	} catch {
		return undefined;
	}
}

function withTimeout<T>(work: Promise<T>, fallback: T): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<T>(resolve => {
		timer = setTimeout(() => resolve(fallback), clusterTimeoutMs);
	});
	return Promise.race([work.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}

function contexts(values: Partial<Flags>): string[] {
	try {
		const kc = new KubeConfig();
		if (values.kubeconfig) kc.loadFromFile(values.kubeconfig);
		else kc.loadFromDefault();
		return kc.getContexts().map(c => c.name);
	} catch {
		return [];
	}
}

async function namespaces(values: Partial<Flags>): Promise<string[]> {
	const client = clientFor(values);
	if (!client) return [];
	try {
		return await withTimeout(
			client.request('GET', '/api/v1/namespaces').then(list => (list.items ?? []).map((n: any) => String(n?.metadata?.name ?? '')).filter(Boolean)),
			[],
		);
	} finally {
		void client.close();
	}
}

/** The release targets in the namespace, as the picker lists them. */
async function targets(values: Partial<Flags>): Promise<string[]> {
	const client = clientFor(values);
	if (!client) return [];
	const store = new Store(initialState(client.context, client.namespace, undefined), 0);
	const watch = watchRelease(client, store, {batchMs: 0});
	// Once the first lists are built: the connection can read live a moment before the picker's list is in.
	const listed = watch.loaded.then(() => store.getState().releases.map(r => r.target));
	try {
		return await withTimeout(listed, []);
	} finally {
		watch.stop();
		store.close();
		void client.close();
	}
}

async function flagValues(spec: FlagSpec, values: Partial<Flags>, command: CommandName): Promise<string[]> {
	// -o is a format everywhere but record, where it is the file to write.
	const source = spec.key === 'output' && command === 'record' ? 'file' : spec.values;
	if (Array.isArray(source)) return [...source];
	switch (source) {
		case 'namespace':
			return namespaces(values);
		case 'context':
			return contexts(values);
		case 'file':
			return [filesDirective];
		case 'router':
			return [...routerChoices];
		case 'preset':
			return [...presetNames];
		case 'scenario': {
			const {simScenarioNames} = await import('./sim.js');
			return [...simScenarioNames];
		}
		default:
			return [];
	}
}

const starting = (prefix: string) => (candidate: string) => candidate.startsWith(prefix);

/** The candidates for the last of `words` (the word at the cursor, '' for a new one). */
export async function candidates(words: readonly string[]): Promise<string[]> {
	const current = words.at(-1) ?? '';
	const {command, rest, expecting, values} = readWords(words.slice(0, -1));
	if (expecting) {
		const all = await flagValues(expecting, values, command);
		return all.includes(filesDirective) ? [filesDirective] : all.filter(starting(current));
	}
	const long = /^--([^=]+)=(.*)$/.exec(current);
	if (long) {
		const spec = byName.get(long[1]!);
		if (!spec || spec.type === 'boolean') return [];
		const all = await flagValues(spec, values, command);
		if (all.includes(filesDirective)) return [filesDirective];
		return all.filter(starting(long[2]!)).map(v => `--${spec.name}=${v}`);
	}
	if (current.startsWith('-')) {
		const names = [...flagSpecs.filter(f => f.commands.includes(command)).map(f => `--${f.name}`), ...commonFlags.map(f => `--${f.name}`)];
		return names.filter(starting(current));
	}
	if (rest.length > 0) return [];
	switch (command) {
		case 'watch': {
			const words = commandNames.filter(c => c !== 'watch' && c.startsWith(current));
			const found = await targets(values);
			const names = current.includes('/') || current === '' ? [] : found.map(t => t.slice(t.indexOf('/') + 1));
			return [...new Set([...words, ...found.filter(starting(current)), ...names.filter(starting(current))])];
		}
		case 'gate': {
			const found = await targets(values);
			const names = current.includes('/') || current === '' ? [] : found.map(t => t.slice(t.indexOf('/') + 1));
			return [...new Set([...found.filter(starting(current)), ...names.filter(starting(current))])];
		}
		case 'completion':
			return shells.filter(starting(current));
		default:
			return [];
	}
}

/** `rollscope __complete WORDS…`: print the candidates, one per line; never fails. */
export async function complete(words: readonly string[]): Promise<number> {
	let found: string[] = [];
	try {
		found = await candidates(words.length === 0 ? [''] : words);
	} catch {
		found = [];
	}
	if (found.length > 0) process.stdout.write(`${found.join('\n')}\n`);
	return 0;
}

const bash = `# rollscope completion for bash. Load it with: source <(rollscope completion bash)
_rollscope_complete() {
    local line="\${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -r -a words <<< "$line"
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
    (( \${#words[@]} < 2 )) && return 0
    local cur="\${words[\${#words[@]}-1]}"
    local out
    out="$("\${words[0]}" __complete "\${words[@]:1}" 2>/dev/null)"
    if [[ "$out" == "${filesDirective}" ]]; then
        compopt -o default 2>/dev/null
        COMPREPLY=()
        return 0
    fi
    # bash splits the word at the cursor at "=" and ":" (COMP_WORDBREAKS): answer only what follows them.
    local word="\${COMP_WORDS[COMP_CWORD]}"
    [[ "$word" == "=" || "$word" == ":" ]] && word=""
    local strip=""
    [[ "$cur" != "$word" && "$cur" == *"$word" ]] && strip="\${cur%"$word"}"
    local IFS=$'\\n'
    local -a found=()
    local candidate
    for candidate in $out; do found+=("\${candidate#"$strip"}"); done
    COMPREPLY=($(compgen -W "\${found[*]}" -- "$word"))
    return 0
}
complete -F _rollscope_complete rollscope kubectl-rollscope
`;

const zsh = `#compdef rollscope kubectl-rollscope
# rollscope completion for zsh. Load it with: source <(rollscope completion zsh), or save it as _rollscope on $fpath.
_rollscope() {
    local out
    out="$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)"
    local -a found
    found=("\${(@f)out}")
    if [[ "$out" == "${filesDirective}" ]]; then
        _files
        return
    fi
    compadd -Q -- "\${found[@]}"
}
if [[ "\${funcstack[1]}" == "_rollscope" ]]; then
    _rollscope "$@"
else
    compdef _rollscope rollscope kubectl-rollscope
fi
`;

const fish = `# rollscope completion for fish. Save it as ~/.config/fish/completions/rollscope.fish
function __rollscope_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($tokens[1] __complete $tokens[2..-1] $current 2>/dev/null)
    if test (count $out) -eq 1; and test "$out[1]" = "${filesDirective}"
        __fish_complete_path $current
        return
    end
    printf '%s\\n' $out
end
complete -c rollscope -f -a '(__rollscope_complete)'
complete -c kubectl-rollscope -f -a '(__rollscope_complete)'
`;

/** The script for a shell, or undefined for a shell it does not know. */
export function completionScript(shell: string): string | undefined {
	switch (shell) {
		case 'bash':
			return bash;
		case 'zsh':
			return zsh;
		case 'fish':
			return fish;
		default:
			return undefined;
	}
}
