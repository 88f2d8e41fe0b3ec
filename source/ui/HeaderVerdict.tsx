// The header's verdict words: `verdict: fail — errors 12 % vs 0.1 %, p < 0.001` (red when fail), or why
// there is none (`verdict: needs Prometheus`); `verdict from the sim's own series: …` when the counts do not
// come from a Prometheus; only for a release with two versions to compare.
import {Text} from 'ink';
import type {Release} from '../release/model.js';
import type {VerdictSlice} from '../store/state.js';
import {windowPair} from '../verdict/window-queries.js';
import {text, type Colour} from './format.js';

const colours: Record<string, Colour> = {fail: 'red', marginal: 'yellow', pass: 'green'};

/** The reason is cut here so the traffic split and the SLI source after it stay on the header line. */
const reasonWidth = 60;

const shorten = (s: string, width: number) => (s.length <= width ? s : `${s.slice(0, width - 1)}…`);

/** The words and colour of the verdict, or undefined when there is nothing to say. */
export function verdictLabel(slice: VerdictSlice | undefined): {text: string; colour: Colour; bold: boolean; stale?: string} | undefined {
	if (!slice) return undefined;
	const {verdict, note} = slice;
	const head = slice.source ? `verdict from ${text(slice.source)}:` : 'verdict:';
	if (!verdict) return note ? {text: `${head} ${text(note)}`, colour: undefined, bold: false} : {text: `${head} collecting`, colour: undefined, bold: false};
	return {
		text: `${head} ${verdict.state} — ${shorten(text(verdict.reason), reasonWidth)}`,
		colour: colours[verdict.state],
		bold: verdict.state === 'fail',
		...(note ? {stale: `(${text(note)})`} : {}),
	};
}

export function HeaderVerdict({release, verdict}: {release: Release; verdict?: VerdictSlice}) {
	if (!windowPair(release)) return null;
	const label = verdictLabel(verdict);
	if (!label) return null;
	return (
		<>
			<Text color={label.colour} bold={label.bold} dimColor={!label.colour && !label.bold}>
				{label.text}
			</Text>
			{label.stale ? <Text dimColor>{` ${label.stale}`}</Text> : null}
			{verdict?.autoAbort ? <Text dimColor>{` · ${text(verdict.autoAbort)}`}</Text> : null}
			{verdict?.autoAdvance ? <Text dimColor>{` · ${text(verdict.autoAdvance)}`}</Text> : null}
			<Text>{'   '}</Text>
		</>
	);
}
