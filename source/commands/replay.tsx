// `rollscope replay FILE`: the live view on a recording, with no cluster: it plays (space pauses) at --speed,
// and the time keys scrub through it. `--once [--at T] [-o json]` prints the state at a moment; `--report`
// prints the recording's timeline as Markdown for a post-mortem. A file that cannot be replayed, or a moment
// outside the recording, is one line and exit code 2.
import {readRecording} from '../history/recording-file.js';
import {RecordingError, type Entry, type RecordingHeader} from '../history/recording.js';
import {Replay} from '../history/replay.js';
import {reportMarkdown} from '../history/report.js';
import {momentJson, momentText} from '../history/moment-output.js';
import {localDate, parseMoment} from '../history/time.js';
import {TimeTravel} from '../history/travel.js';
import {Store} from '../store/store.js';
import {clock} from '../text/format.js';
import {App} from '../ui/App.js';
import {WithMetrics} from '../ui/WithMetrics.js';
import type {Flags} from './flags.js';
import {runFullScreen} from './open-view.js';

const fail = (message: string): number => {
	process.stderr.write(`rollscope replay: ${message}\n`);
	return 2;
};

/** The recording's first and last moments, read through once (for a clock time that may be on the next day). */
async function spanOf(file: string): Promise<{start: number; end: number}> {
	let end = 0;
	const {header} = await readRecording(file, entry => void (end = Math.max(end, entry.t)));
	return {start: header.started, end: Math.max(end, header.started)};
}

/** Where the recording runs, in words. */
const spanText = (span: {start: number; end: number}) => `${clock(span.start)} to ${clock(span.end)} on ${localDate(span.start)}`;

export async function runReplay(file: string, flags: Flags): Promise<number> {
	if (flags.report && flags.once) return fail('--report and --once each print something else; give one');
	try {
		// A clock time needs the recording's day (and, past midnight, its end) to become a moment.
		let at: number | undefined;
		let span: {start: number; end: number} | undefined;
		if (flags.at !== undefined) {
			span = await spanOf(file);
			const parsed = parseMoment(flags.at, span);
			if (typeof parsed !== 'number') return fail(parsed.error);
			// The clock times shown are whole seconds: the second the recording starts (or ends) in is inside it.
			if (parsed < span.start - 1000 || parsed >= span.end + 1000) return fail(`${flags.at} is outside the recording (${spanText(span)})`);
			at = Math.min(Math.max(parsed, span.start), span.end);
		}
		let replay: Replay | undefined;
		const onEntry = (entry: Entry, header: RecordingHeader) => {
			replay ??= new Replay(header);
			// --once: the state at the moment, so nothing after it.
			if (flags.once && at !== undefined && entry.t > at) return 'stop';
			replay.push(entry);
			return undefined;
		};
		const {header} = await readRecording(file, onEntry);
		replay ??= new Replay(header);
		if (flags.once) {
			const moment = at ?? replay.end;
			const state = replay.finish(moment);
			const start = header.started;
			process.stdout.write(flags.output === 'json' ? JSON.stringify(momentJson(file, moment, state), null, 2) + '\n' : momentText(file, moment, start, state));
			return 0;
		}
		const final = replay.finish();
		// From where the release is first on screen to the end.
		const shown = {start: Math.min(replay.start, at ?? replay.start), end: replay.end};
		if (flags.report) {
			process.stdout.write(reportMarkdown(replay.history, header, {start: header.started, end: replay.end}));
			return 0;
		}
		return await view(final, replay, shown, at, flags.speed);
	} catch (error) {
		if (error instanceof RecordingError) return fail(error.message);
		throw error;
	}
}

/** The live view on the recording: the store holds its end, the travel plays it from --at (paused) or its start. */
async function view(final: ReturnType<Replay['finish']>, replay: Replay, span: {start: number; end: number}, at: number | undefined, speed: number): Promise<number> {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write('rollscope replay: the view needs a terminal (no TTY here). Use --once (with --at) or --report.\n');
		return 2;
	}
	const store = new Store(final);
	const travel = new TimeTravel(store, replay.history, {recording: span, at: at ?? span.start, playing: at === undefined, speed});
	// The same full screen as the live view's: resizes, Ctrl-Z and fg, hang-ups, the heap given back.
	const {code} = await runFullScreen(
		screen => (
			<WithMetrics store={travel.viewed} travel={travel}>
				<App
					store={travel.viewed}
					travel={travel}
					onQuit={screen.quit}
					onRedraw={screen.redraw}
					onSuspend={screen.suspend}
					onAction={() => 'a recording: nothing here changes a cluster'}
				/>
			</WithMetrics>
		),
		() => {
			travel.stop();
			store.close();
		},
	);
	return code;
}
