// After `stryker run`: the mutation score of each folder of the mutated core and the mutants that survived,
// one line each; exits 1 when a folder kills less than 80 % of its mutants. Reads Stryker's JSON report.
import {readFileSync} from 'node:fs';

type Mutant = {id: string; mutatorName: string; replacement?: string; status: string; location: {start: {line: number; column: number}}};
type Report = {files: Record<string, {source: string; mutants: Mutant[]}>};

const GOAL = 80;
const file = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

type Count = {killed: number; survived: number; ignored: number};
const folders = new Map<string, Count>();
const survivors: string[] = [];
for (const [path, {source, mutants}] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
	const folder = path.split('/').slice(0, -1).join('/');
	const count = folders.get(folder) ?? {killed: 0, survived: 0, ignored: 0};
	folders.set(folder, count);
	const lines = source.split('\n');
	for (const mutant of [...mutants].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
		if (DETECTED.has(mutant.status)) count.killed++;
		else if (UNDETECTED.has(mutant.status)) {
			count.survived++;
			const {line, column} = mutant.location.start;
			const replacement = (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
			const code = (lines[line - 1] ?? '').trim().slice(0, 100);
			survivors.push(`${path}:${line}:${column} ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no test reaches it)' : ''}: ${replacement}\n    ${code}`);
		} else count.ignored++;
	}
}

console.log(`\nSurviving mutants (${survivors.length}):`);
for (const line of survivors) console.log(`  ${line}`);
console.log('\nScore per folder (killed or timed out, of those tested):');
let below = false;
for (const [folder, {killed, survived, ignored}] of folders) {
	const score = (100 * killed) / Math.max(1, killed + survived);
	below ||= score < GOAL;
	console.log(`  ${folder.padEnd(20)} ${score.toFixed(1).padStart(5)} %  ${killed} killed, ${survived} survived${ignored ? `, ${ignored} not run (errors or ignored)` : ''}`);
}
if (below) {
	console.log(`\nA folder is below ${GOAL} %.`);
	process.exitCode = 1;
}
