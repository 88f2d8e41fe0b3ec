// Where in time the view is: the present, or a moment of the history (a live view scrubbed back, or a
// recording being replayed). Moves from mark to mark (to just before each, so the change is what comes next) or
// by a minute, plays a recording at a speed, and gives the view a store that shows the state of that moment.
import type {AppState} from '../store/state.js';
import type {StateSource} from '../store/store.js';
import {clock} from '../text/format.js';
import type {Frame} from './frame.js';
import type {History} from './history.js';
import type {Mark} from './marks.js';

export type TravelView = {
	/** The moment shown (ms epoch); undefined: the present (a live view) or the end (a recording). */
	at?: number;
	/** A recording plays on by itself. */
	playing: boolean;
	speed: number;
	/** Wall clock when this view was made (ms), for "3m12s ago". */
	now: number;
	/** A recording: its first and last moments. */
	recording?: {start: number; end: number};
};

export type TravelOptions = {
	/** Replaying a recording of this span (the live store holds its end). */
	recording?: {start: number; end: number};
	/** Where to start; undefined: the present (a live view), the start (a recording). */
	at?: number;
	playing?: boolean;
	speed?: number;
	/** Wall clock (tests move it). */
	now?: () => number;
};

const MINUTE = 60_000;

export class TimeTravel {
	/** The store the view reads: the present, or the state at the moment shown. */
	readonly viewed: StateSource;
	private current: TravelView;
	private readonly listeners = new Set<() => void>();
	private timer: NodeJS.Timeout | undefined;
	private timerMs = 0;
	private lastTick = 0;
	private readonly clockNow: () => number;
	private memo?: {at: number; frame: Frame | undefined; base: AppState; state: AppState};

	constructor(
		private readonly live: StateSource,
		readonly history: History,
		options: TravelOptions = {},
	) {
		this.clockNow = options.now ?? Date.now;
		const recording = options.recording;
		const at = options.at ?? recording?.start;
		this.current = {playing: Boolean(options.playing && recording), speed: options.speed ?? 1, now: this.clockNow(), ...(recording ? {recording} : {}), ...(at === undefined ? {} : {at})};
		this.viewed = {
			getState: () => this.stateNow(),
			subscribe: (listener: () => void) => {
				const a = this.live.subscribe(listener);
				const b = this.subscribe(listener);
				return () => {
					a();
					b();
				};
			},
		};
		this.schedule();
	}

	view = (): TravelView => this.current;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	private stateNow(): AppState {
		const at = this.current.at;
		const base = this.live.getState();
		if (at === undefined) return base;
		const frame = this.history.frameAt(at);
		const memo = this.memo;
		if (memo && memo.at === at && memo.frame === frame && memo.base.actions === base.actions && memo.base.releases === base.releases) return memo.state;
		const state = this.history.stateAt(at, base);
		this.memo = {at, frame, base, state};
		return state;
	}

	private set(change: Partial<TravelView>, clear: Array<keyof TravelView> = []): void {
		const next: TravelView = {...this.current, ...change, now: this.clockNow()};
		for (const key of clear) delete next[key];
		this.current = next;
		this.schedule();
		for (const l of [...this.listeners]) l();
	}

	/** The first and last moments one can go to: a recording's, or the history's start to now. */
	span(): {start: number; end: number} {
		if (this.current.recording) return this.current.recording;
		const now = this.clockNow();
		return {start: this.history.start ?? now, end: now};
	}

	/** Where the view is now (the present is the end of the span). */
	private position(): number {
		return this.current.at ?? this.span().end;
	}

	/** Marks in time order; where `<` and `>` stop is just before each. */
	marks(): readonly Mark[] {
		return this.history.marks;
	}

	private go(at: number | undefined): void {
		const {start, end} = this.span();
		if (at === undefined || at >= end) this.set({playing: false}, ['at']);
		else this.set({at: Math.max(start, at)});
	}

	/** To just before the previous mark; at none, to the start. */
	back(): string | undefined {
		const position = this.position();
		const marks = this.history.marks;
		for (let i = marks.length - 1; i >= 0; i--) {
			const stop = marks[i]!.at - 1;
			if (stop < position && stop >= this.span().start) {
				this.go(stop);
				return undefined;
			}
		}
		this.go(this.span().start);
		return `no earlier mark: ${this.current.recording ? 'the recording' : 'the history'} starts at ${clock(this.span().start)}`;
	}

	/** To just before the next mark; past the last, to the present (the end of a recording). */
	forward(): string | undefined {
		if (this.current.at === undefined) return this.current.recording ? 'at the end of the recording' : 'already live';
		const position = this.current.at;
		const next = this.history.marks.find(m => m.at - 1 > position);
		this.go(next ? next.at - 1 : undefined);
		return next ? undefined : this.current.recording ? 'no later mark: at the end of the recording' : 'no later mark: live again';
	}

	/** By `minutes` (negative: back). */
	step(minutes: number): string | undefined {
		const from = this.position();
		if (minutes > 0 && this.current.at === undefined) return this.current.recording ? 'at the end of the recording' : 'already live';
		this.go(from + minutes * MINUTE);
		return undefined;
	}

	/** Back to the present (the end of a recording). */
	toPresent(): string | undefined {
		this.go(undefined);
		return undefined;
	}

	/** Play or pause a recording; playing at its end starts again from its start. */
	togglePlay(): string | undefined {
		const recording = this.current.recording;
		if (!recording) return 'only a recording plays';
		if (this.current.playing) this.set({playing: false});
		else this.set({playing: true, at: this.current.at ?? recording.start});
		return undefined;
	}

	/** Tick while a moment is shown (its "ago" moves) or a recording plays (its moment moves). */
	private schedule(): void {
		const wanted = this.current.playing ? Math.max(50, Math.min(500, Math.round(1000 / this.current.speed))) : this.current.at !== undefined && !this.current.recording ? 1000 : 0;
		if (this.timer && this.timerMs === wanted) return;
		clearInterval(this.timer);
		this.timer = undefined;
		this.timerMs = wanted;
		if (wanted === 0) return;
		this.lastTick = this.clockNow();
		this.timer = setInterval(() => this.tick(), wanted);
		this.timer.unref?.();
	}

	private tick(): void {
		const now = this.clockNow();
		const elapsed = now - this.lastTick;
		this.lastTick = now;
		if (this.current.playing && this.current.at !== undefined) this.go(this.current.at + elapsed * this.current.speed);
		else this.set({});
	}

	stop(): void {
		clearInterval(this.timer);
		this.timer = undefined;
		this.listeners.clear();
	}
}
