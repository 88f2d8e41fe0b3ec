// Moving in time: from mark to mark (to just before each), by a minute, back to the present; a recording that
// plays at a speed and stops at its end; the viewed store that shows the past and the present otherwise.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {History} from '../../source/history/history.js';
import {parseMoment} from '../../source/history/time.js';
import {TimeTravel} from '../../source/history/travel.js';
import type {Release} from '../../source/release/model.js';
import {initialState, type AppState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {canaryRelease, now} from '../ui/fixtures.js';

const withWeight = (release: Release, canary: number): Release => ({...release, traffic: {...release.traffic!, weights: {checkout: 100 - canary, 'checkout-canary': canary}}});
const stateWith = (release: Release): AppState => ({...initialState('ctx', 'shop', 'deploy/checkout'), connection: {state: 'live', since: now}, release});

/** A history with weight steps at +60 s (to 20%) and +180 s (to 50%), and a store holding the present (50%). */
function setup(clock: {now: number}) {
	const history = new History();
	history.observe(stateWith(canaryRelease()), now);
	history.observe(stateWith(withWeight(canaryRelease(), 20)), now + 60_000);
	history.observe(stateWith(withWeight(canaryRelease(), 50)), now + 180_000);
	const store = new Store(stateWith(withWeight(canaryRelease(), 50)), 0);
	const travel = new TimeTravel(store, history, {now: () => clock.now});
	return {history, store, travel};
}

const weight = (travel: TimeTravel) => travel.viewed.getState().release!.traffic!.weights['checkout-canary'];

describe('a live view moving through its history', () => {
	test('< steps to just before each mark, > forward again, past the last to the present', () => {
		const clock = {now: now + 300_000};
		const {travel, store} = setup(clock);
		assert.equal(travel.view().at, undefined);
		assert.equal(travel.viewed.getState(), store.getState(), 'the present is the store itself');
		assert.equal(travel.back(), undefined);
		assert.equal(travel.view().at, now + 180_000 - 1);
		assert.equal(weight(travel), 20);
		travel.back();
		assert.equal(travel.view().at, now + 60_000 - 1);
		assert.equal(weight(travel), 10);
		assert.match(travel.back() ?? '', /no earlier mark: the history starts at \d\d:\d\d:\d\d/);
		assert.equal(travel.view().at, now);
		travel.forward();
		assert.equal(travel.view().at, now + 60_000 - 1);
		travel.forward();
		assert.equal(weight(travel), 20);
		assert.equal(travel.forward(), 'no later mark: live again');
		assert.equal(travel.view().at, undefined);
		assert.equal(travel.forward(), 'already live');
		travel.stop();
	});

	test('a minute at a time; forward past now is the present; end returns to it', () => {
		const clock = {now: now + 300_000};
		const {travel} = setup(clock);
		travel.step(-1);
		assert.equal(travel.view().at, now + 240_000);
		travel.step(-1);
		travel.step(-1);
		assert.equal(weight(travel), 20, 'at +120 s');
		travel.step(-5);
		assert.equal(travel.view().at, now, 'not before the history');
		travel.step(1);
		assert.equal(weight(travel), 20, 'at +60 s');
		travel.toPresent();
		assert.equal(travel.view().at, undefined);
		travel.step(-1);
		travel.step(2);
		assert.equal(travel.view().at, undefined);
		travel.stop();
	});

	test('the viewed state of a moment is the same object until the moment changes', () => {
		const clock = {now: now + 300_000};
		const {travel} = setup(clock);
		travel.back();
		const a = travel.viewed.getState();
		assert.equal(travel.viewed.getState(), a);
		assert.equal(a.now, now + 180_000 - 1);
		travel.stop();
	});
});

describe('a recording played back', () => {
	test('plays at its speed, pauses, and stops at its end; playing at the end starts again', async () => {
		const clock = {now: 1_000_000};
		const {travel} = setup(clock);
		const recording = {start: now, end: now + 200_000};
		const play = new TimeTravel(new Store(stateWith(withWeight(canaryRelease(), 50)), 0), travel.history, {recording, playing: true, speed: 100, now: () => clock.now});
		assert.equal(play.view().at, now);
		assert.equal(play.view().playing, true);
		// Ticks move the moment by the wall time passed times the speed.
		clock.now += 1000;
		await new Promise(r => setTimeout(r, 30));
		await waitForTick(play, () => (play.view().at ?? Infinity) > now);
		assert.ok(play.view().at! >= now + 100_000 - 1, `at ${play.view().at! - now}`);
		play.togglePlay();
		assert.equal(play.view().playing, false);
		const paused = play.view().at;
		clock.now += 1000;
		await new Promise(r => setTimeout(r, 80));
		assert.equal(play.view().at, paused);
		play.togglePlay();
		clock.now += 2000;
		await waitForTick(play, () => play.view().at === undefined);
		assert.equal(play.view().playing, false, 'stopped at the end');
		play.togglePlay();
		assert.equal(play.view().at, now, 'from the start again');
		play.stop();
		travel.stop();
	});
});

async function waitForTick(travel: TimeTravel, done: () => boolean): Promise<void> {
	for (let i = 0; i < 100 && !done(); i++) await new Promise(r => setTimeout(r, 20));
	assert.ok(done(), JSON.stringify(travel.view()));
}

describe('--at', () => {
	const start = new Date(2026, 2, 1, 23, 58, 0).getTime();
	const range = {start, end: start + 5 * 60_000};
	test('a clock time is on the recording’s day, local time; past midnight on the next day', () => {
		assert.equal(parseMoment('23:59:30', range), new Date(2026, 2, 1, 23, 59, 30).getTime());
		assert.equal(parseMoment('00:01:00', range), new Date(2026, 2, 2, 0, 1, 0).getTime());
		assert.equal(parseMoment('23:59', range), new Date(2026, 2, 1, 23, 59, 0).getTime());
	});
	test('an ISO time', () => {
		assert.equal(parseMoment('2026-03-01T12:00:00Z', range), Date.parse('2026-03-01T12:00:00Z'));
	});
	test('anything else says what it takes', () => {
		assert.match((parseMoment('noon', range) as {error: string}).error, /HH:MM:SS/);
		assert.match((parseMoment('25:00:00', range) as {error: string}).error, /not a time of day/);
	});
});
