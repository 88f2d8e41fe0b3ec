// The verdict per SLI, under the sparklines of the version panels: in the new version's panel one row
// per judged SLI (`✗ fail      errors 12.0 % vs 0.10 %, p < 0.001`), in the old version's panel what
// it is compared with. Shown once a window has been judged; the header keeps the summed-up verdict.
import {Box, Text} from 'ink';
import type {Release, Version} from '../release/model.js';
import type {VerdictSlice} from '../store/state.js';
import type {SliVerdict, Verdict} from '../verdict/judge.js';
import {windowPair} from '../verdict/window-queries.js';
import {text, type Colour} from './format.js';

/** The SLIs the judge compares, in the order of the rows. */
const judged: ReadonlyArray<SliVerdict['sli']> = ['errors', 'latency'];

export type VerdictRow = {text: string; colour?: Colour; bold?: boolean; dim?: boolean};

/** Rows each panel keeps for the verdict: one per judged SLI once a window has been judged, else none. */
export function verdictRowCount(release: Release | undefined, slice: VerdictSlice | undefined): number {
	if (!release || !slice?.verdict || !windowPair(release)) return 0;
	return judged.length;
}

const looks: Record<string, {mark: string; colour?: Colour; bold?: boolean; dim?: boolean}> = {
	pass: {mark: '✓', colour: 'green'},
	marginal: {mark: '~', colour: 'yellow'},
	failing: {mark: '✗', colour: 'red'},
	fail: {mark: '✗', colour: 'red', bold: true},
	collecting: {mark: '…', dim: true},
};

/** One SLI's row: its state (`failing` while the release has not failed yet), then the reason with figures. */
function sliRow(sli: SliVerdict | undefined, name: string, verdict: Verdict, stale: boolean): VerdictRow {
	if (!sli) return {text: `… ${'collecting'.padEnd(10)} ${name}`, dim: true};
	const word = sli.state === 'fail' && verdict.state !== 'fail' ? 'failing' : sli.state;
	const look = looks[word]!;
	const row: VerdictRow = {text: `${look.mark} ${word.padEnd(10)} ${text(sli.reason)}`};
	if (stale) return {...row, dim: true};
	return {...row, ...(look.colour ? {colour: look.colour} : {}), ...(look.bold ? {bold: true} : {}), ...(look.dim ? {dim: true} : {})};
}

/** What the verdict rows of `version`'s panel say. */
export function verdictRows(release: Release, version: Version, slice: VerdictSlice | undefined): VerdictRow[] {
	const count = verdictRowCount(release, slice);
	if (count === 0) return [];
	const verdict = slice!.verdict!;
	const pair = windowPair(release)!;
	const stale = slice!.note !== undefined;
	if (version.id === pair.canary.id) return judged.map(name => sliRow(verdict.slis.find(s => s.sli === name), name, verdict, stale));
	const rows: VerdictRow[] = Array.from({length: count}, () => ({text: ''}));
	if (version.id === pair.baseline.id) rows[0] = {text: `verdict: ${pair.canary.role} compared with this version`, dim: true};
	return rows;
}

type Props = {release: Release; version: Version; slice: VerdictSlice | undefined; width: number};

export function SliVerdicts({release, version, slice, width}: Props) {
	const rows = verdictRows(release, version, slice);
	if (rows.length === 0) return null;
	return (
		<Box flexDirection="column" width={width}>
			{rows.map((row, i) => (
				<Box key={i} width={width} height={1} overflow="hidden">
					<Text wrap="truncate" color={row.colour} bold={row.bold} dimColor={row.dim}>
						{row.text}
					</Text>
				</Box>
			))}
		</Box>
	);
}
