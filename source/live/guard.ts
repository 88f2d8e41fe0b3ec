// Guardrails of the live view on the verdict: the bell rings once when a fail episode starts, and with
// --auto-abort a countdown starts then; at zero the abort runs (unless `c` cancelled it or the verdict
// left fail). The decisions are pure functions; startGuard wires them to the store and a timer.
import type {VerdictSlice} from '../store/state.js';
import type {Store} from '../store/store.js';
import type {VerdictState} from '../verdict/judge.js';

/** Whether a verdict starts a fail episode (the bell rings once then): fail after anything but fail. */
export function startsFail(previous: VerdictState | undefined, next: VerdictState | undefined): boolean {
	return next === 'fail' && previous !== 'fail';
}

export type GuardOptions = {
	store: Store;
	/** Rings the terminal bell. */
	bell: () => void;
	/** --auto-abort: the delay, and the abort itself (answers a message when it could not start). */
	autoAbort?: {delayMs: number; abort: (reason: string) => string | undefined};
	/** Said when an automatic abort could not start. */
	onProblem?: (message: string) => void;
	now?: () => number;
};

export type Guard = {stop(): void; /** `c`: what to say, after cancelling the countdown if one runs. */ cancel(): string};

export function startGuard(options: GuardOptions): Guard {
	const {store, bell, autoAbort} = options;
	const now = options.now ?? Date.now;
	let last: VerdictState | undefined;
	const slice = (): VerdictSlice | undefined => store.getState().verdict;
	const setCountdown = (countdown: VerdictSlice['countdown']) => store.dispatch({type: 'verdict', verdict: {countdown}});

	const onChange = () => {
		const verdict = slice()?.verdict;
		const state = verdict?.state;
		if (state === last) return;
		const starts = startsFail(last, state);
		last = state;
		if (starts) {
			bell();
			if (autoAbort && !slice()?.countdown) setCountdown({at: now() + autoAbort.delayMs, reason: verdict!.reason});
		} else if (state !== 'fail' && slice()?.countdown) {
			// The verdict left fail (or was reset): nothing to abort for any more.
			setCountdown(undefined);
		}
	};

	const tick = () => {
		const countdown = slice()?.countdown;
		if (!countdown || !autoAbort) return;
		if (now() < countdown.at) {
			// The view's clock stands still while live: move it so the countdown's seconds go down.
			store.dispatch({type: 'tick', now: now()});
			return;
		}
		setCountdown(undefined);
		const problem = autoAbort.abort(countdown.reason);
		if (problem) options.onProblem?.(`auto-abort: ${problem}`);
	};

	const unsubscribe = store.subscribe(onChange);
	const timer = setInterval(tick, 250);
	timer.unref?.();
	onChange();
	return {
		stop() {
			unsubscribe();
			clearInterval(timer);
		},
		cancel() {
			if (!slice()?.countdown) return 'no auto-abort is counting down';
			setCountdown(undefined);
			return 'auto-abort cancelled; a aborts by hand';
		},
	};
}
