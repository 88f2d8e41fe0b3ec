// The actions of one live view: turns action keys into plans and dialogs, runs confirmed plans through the
// executor, follows their outcome in the watch, drives a promotion stage by stage, and keeps the store's
// `actions` (access, activity) up to date. The planning it calls is pure (source/actions); this part does the I/O.
import {nameOf, REVISION_ANNOTATION} from '../release/object-fields.js';
import {sanitize} from '../release/sanitize.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import type {ActionsState, Activity} from '../actions/activity.js';
import type {ActionCommand, ActionKind} from '../actions/commands.js';
import type {Store} from '../store/store.js';
import type {ActionFocus, ActionResponse, RevisionChoice} from '../actions/responses.js';
import {reviewAccess, type Review} from '../actions/access.js';
import {canaryPair, type ActionTarget} from '../actions/target.js';
import {confirmsByName, type ActionConfig} from '../actions/config.js';
import {diffText} from '../actions/diff.js';
import {execute, planAsText, writeAuditEvent, type Requester} from '../actions/execute.js';
import type {Intent, PlanOptions, WeightKey} from '../actions/intents.js';
import {deepEqual} from '../actions/json.js';
import {promotionStatus, readPromotion, stageLabels, stageSteps, type Stage} from '../actions/promotion.js';
import type {Plan, Planned} from '../actions/types.js';
import {currentCanaryWeight, notACanary, weightMover} from '../actions/weights.js';
import {actionTarget, kindSpec} from '../kinds/registry.js';
import {AUTO_ADVANCE_ANNOTATION, readAdvanceRecord, stoppedRecord, type AdvanceRecord} from '../verdict/advance.js';
import type {AdvancePosition, StopToRecord} from './advancer.js';
import {pointer, type JsonPatchOp} from '../traffic/router.js';
import {objectPath, refOf} from '../actions/paths.js';
import {JSON_PATCH} from '../actions/types.js';

export type ActionOptions = {readOnly: boolean; dryRun: boolean; router?: string; config: ActionConfig};

export type ActionDeps = {
	/** `whoami`: who the API server says we are (the audit names them); `user` is that once known. */
	client: Requester & Review & {user: string; whoami?(): Promise<string>};
	/** The raw objects the watch holds now. */
	snapshot: () => ClusterSnapshot;
	/** Ask the watch to rebuild the release now (at once: an outcome is said with the release that shows it). */
	refresh: () => void;
	store: Store;
	/** Wall clock (tests move it). */
	now?: () => number;
};

/** How long the watch may take to show a written change before the view says so (counted while live). */
const VERIFY_MS = 20_000;
/**
 * A write that got no answer: how long the view, live again (every watch listed anew after the API server came
 * back), shows no sign of it before it says it was not written.
 */
const LATE_GRACE_MS = 10_000;

type Pending = {
	plan: Plan;
	/** When it was written (or its request gave up). */
	at: number;
	eventProblem?: string;
	/** Its request got no answer: the watch tells whether it was written; then the audit Event is left. */
	late?: {why: string; steps?: ReturnType<typeof stageSteps>};
	/** Landed late: its audit Event is on its way. */
	recording?: true;
};

export class ActionController {
	private unsubscribe?: () => void;
	private poll?: NodeJS.Timeout;
	private identity = '';
	private busy?: string;
	private pending?: Pending;
	private driving = false;
	private lastOutcomeAt = 0;
	/** Asked the API server who we are (or gave up asking): plans name that user. */
	private identified = false;
	/** What the last stage of a promotion achieved, said when the promotion ends. */
	private lastDone?: string;
	/** --auto-advance: a stop record on its way (not `busy`: an abort must not wait for it). */
	private recordingStop = false;
	/** The version the last action key was pressed on (a release with several canaries), and the one a promotion drives. */
	private focus?: string;
	private drivingFocus?: string;

	constructor(
		private readonly deps: ActionDeps,
		private readonly options: ActionOptions,
	) {}

	private get store() {
		return this.deps.store;
	}

	private now(): number {
		return (this.deps.now ?? Date.now)();
	}

	start(): void {
		this.store.dispatch({type: 'actions', actions: {mode: this.options.readOnly ? 'read-only' : 'enabled', denied: {}}});
		const whoami = this.deps.client.whoami;
		if (whoami && !this.options.readOnly) {
			void whoami.call(this.deps.client).finally(() => {
				this.identified = true;
			});
		} else {
			this.identified = true;
		}
		this.unsubscribe = this.store.subscribe(() => this.onChange());
		// While a change is on its way, look at the watch's objects twice a second too: not every change to
		// them changes the release on screen (an annotation), and deadlines must pass without any change.
		this.poll = setInterval(() => {
			if (this.pending || this.driving) this.onChange();
		}, 500);
		this.poll.unref?.();
		this.onChange();
	}

	stop(): void {
		this.unsubscribe?.();
		clearInterval(this.poll);
		this.driving = false;
	}

	private setActions(actions: Partial<ActionsState>): void {
		const current = this.store.getState().actions;
		const next = {...current, ...actions};
		if (current && deepEqual(current, next)) return;
		this.store.dispatch({type: 'actions', actions});
	}

	private setActivity(activity: Activity | undefined): void {
		this.setActions({activity});
	}

	private target(focus = this.focus): ActionTarget | undefined {
		const {target} = this.store.getState();
		if (!target) return undefined;
		return actionTarget(this.deps.snapshot(), target, this.deps.client.user, focus);
	}

	private planOptions(): PlanOptions {
		return {config: this.options.config, router: this.options.router, now: new Date(this.now()).toISOString()};
	}

	/** An intent planned by the release's kind. */
	private plan(t: ActionTarget, intent: Intent): Planned {
		return kindSpec(t.release.kind).plan(t, intent, this.planOptions());
	}

	// --- following the store ---------------------------------------------------------------------------

	private onChange(): void {
		const state = this.store.getState();
		const release = state.release;
		// Access is asked once everything is listed: which objects an action writes depends on all of them.
		const identity = release && state.connection.state === 'live' ? `${release.namespace}/${release.target}/${release.kind}/${release.traffic?.router ?? ''}/${release.traffic?.object ?? ''}` : '';
		if (identity !== this.identity) {
			this.identity = identity;
			if (release && !this.options.readOnly) void this.checkAccess(identity);
		}
		if (this.pending) this.checkPending();
		if (this.driving && !this.pending && !this.busy) this.drive();
		if (!this.driving && !this.pending && !this.busy) this.noticeRecord();
	}

	private async checkAccess(identity: string): Promise<void> {
		const t = this.target();
		if (!t) {
			// Not loaded yet: try again on the next change.
			this.identity = '';
			return;
		}
		try {
			const checks = kindSpec(t.release.kind).access(t, this.options.router);
			const result = await reviewAccess(this.deps.client, t.namespace, checks);
			if (identity !== this.identity) return;
			const denied = {...result.denied};
			// When every action that applies here is denied, say so of all of them (the others do nothing here anyway).
			const applicable = (Object.keys(checks) as ActionKind[]).filter(kind => checks[kind].length > 0);
			const first = applicable.map(kind => denied[kind]).find(Boolean);
			if (first && applicable.every(kind => denied[kind])) for (const kind of Object.keys(checks) as ActionKind[]) denied[kind] ??= first;
			this.setActions({denied});
		} catch {
			// A review that fails denies nothing: a write that is refused says why.
		}
	}

	private checkPending(): void {
		const pending = this.pending!;
		if (pending.recording) return;
		const snap = this.deps.snapshot();
		if (!pending.plan.verify || pending.plan.verify(snap)) {
			if (pending.late) {
				void this.landedLate(pending);
				return;
			}
			this.pending = undefined;
			this.busy = undefined;
			this.lastOutcomeAt = this.now();
			const note = pending.eventProblem ? ` (${pending.eventProblem})` : '';
			if (this.driving) {
				// The driver moves on from here; it reports progress itself.
				this.lastDone = pending.plan.done;
				this.drive();
				return;
			}
			// The release on screen shows the change when the outcome says so, not after the watch's next rebuild.
			this.deps.refresh();
			this.setActivity({tone: pending.eventProblem ? 'warn' : 'ok', text: `${sanitize(pending.plan.done)}${note}`});
			return;
		}
		// Not shown yet. Only a live view (the API server answers, every watch listed since) can say it is not coming.
		const connection = this.store.getState().connection;
		if (connection.state !== 'live') return;
		const waited = this.now() - Math.max(pending.at, connection.since);
		if (pending.late && waited > LATE_GRACE_MS) {
			this.pending = undefined;
			this.busy = undefined;
			this.driving = false;
			this.lastOutcomeAt = this.now();
			this.setActivity({tone: 'error', text: `${sanitize(pending.plan.title)}: not written. The API server did not answer (${sanitize(pending.late.why)}), and now that it does, the change is not there. Look again and retry.`, steps: pending.late.steps});
		} else if (!pending.late && waited > VERIFY_MS) {
			this.pending = undefined;
			this.busy = undefined;
			this.driving = false;
			this.lastOutcomeAt = this.now();
			this.setActivity({tone: 'warn', text: `${sanitize(pending.plan.title)}: written, but the watch has not shown it after ${VERIFY_MS / 1000}s`});
		}
	}

	/** A write whose request got no answer shows in the watch: it was written. Leave its audit Event now, then say so. */
	private async landedLate(pending: Pending): Promise<void> {
		if (this.pending !== pending) return;
		// Once: the checks go on while the Event is on its way.
		this.pending = {...pending, recording: true};
		const mark = this.pending;
		this.setActivity({tone: 'busy', text: `${sanitize(pending.plan.title)}: written after all (the watch shows it); leaving the audit Event…`, steps: pending.late?.steps});
		const problem = pending.plan.event ? await writeAuditEvent(this.deps.client, pending.plan.event, new Date(this.now())) : undefined;
		if (this.pending !== mark) return;
		this.pending = undefined;
		this.busy = undefined;
		this.lastOutcomeAt = this.now();
		const late = `written, though the API server did not answer in time (${sanitize(pending.late!.why)})`;
		if (this.driving) {
			this.lastDone = `${pending.plan.done} (${late})`;
			this.drive();
			return;
		}
		this.deps.refresh();
		this.setActivity({tone: problem ? 'warn' : 'ok', text: `${sanitize(pending.plan.done)} (${late}${problem ? `; ${sanitize(problem)}` : ''})`});
	}

	/** A promotion recorded on the stable Deployment that this view is not driving: say it can be resumed. */
	private noticeRecord(): void {
		const state = this.store.getState();
		const t = state.release ? this.target() : undefined;
		const stable = t && canaryPair(t)?.stable;
		const record = stable ? readPromotion(stable) : undefined;
		const current = state.actions?.activity;
		const isNote = current?.text.startsWith('promotion of ') || current?.text.startsWith('unreadable promotion record');
		if (!record) {
			if (isNote) this.setActivity(undefined);
			return;
		}
		if (current && !isNote && this.now() - this.lastOutcomeAt < 5000) return;
		const text =
			'broken' in record
				? 'unreadable promotion record on the stable Deployment: a aborts (removes it)'
				: `promotion of ${sanitize(record.canary)} interrupted at "${stageLabels[record.stage]}" (started by ${sanitize(record.by)} at ${sanitize(record.at)}): p resumes · a aborts`;
		this.setActivity({tone: 'warn', text});
	}

	// --- the promotion driver --------------------------------------------------------------------------

	private drive(): void {
		const t = this.target(this.drivingFocus);
		const pair = t && canaryPair(t);
		if (!t || !pair) {
			this.driving = false;
			this.setActivity({tone: 'error', text: 'promotion stopped: the canary pair is no longer there'});
			return;
		}
		const record = readPromotion(pair.stable);
		const c = nameOf(pair.canary);
		if (!record) {
			// The finish stage removed the record: the promotion is done.
			this.driving = false;
			this.setActivity({tone: 'ok', text: sanitize(this.lastDone ?? `promoted ${c}`)});
			return;
		}
		if ('broken' in record) {
			this.driving = false;
			this.setActivity({tone: 'error', text: 'promotion stopped: the promotion record cannot be read; a aborts'});
			return;
		}
		const mover = weightMover(t, pair, this.options.router);
		if ('message' in mover) {
			this.driving = false;
			this.setActivity({tone: 'error', text: `promotion stopped: ${mover.message}`});
			return;
		}
		const status = promotionStatus(t, pair, mover, record);
		const title = `promote ${sanitize(c)}`;
		if ('error' in status) {
			this.driving = false;
			this.setActivity({tone: 'error', text: `${title} stopped: ${sanitize(status.error)}`, steps: stageSteps(status.stage)});
			return;
		}
		if ('done' in status) {
			this.driving = false;
			this.setActivity({tone: 'ok', text: `${title}: done`, steps: stageSteps('finish', true)});
			return;
		}
		if ('waiting' in status) {
			this.setActivity({tone: 'busy', text: title, steps: stageSteps(status.stage, false, sanitize(status.waiting))});
			return;
		}
		this.send(status.plan, status.stage);
	}

	// --- running plans ---------------------------------------------------------------------------------

	/** Send a confirmed plan; the outcome arrives in the store (activity), as the watch shows it. */
	private send(plan: Plan, stage?: Stage): void {
		this.busy = plan.title;
		const steps = stage ? stageSteps(stage) : undefined;
		this.setActivity({tone: 'busy', text: `${sanitize(plan.title)}: sending…`, steps});
		execute(this.deps.client, plan)
			.then(outcome => {
				this.lastOutcomeAt = this.now();
				if (!outcome.ok && outcome.uncertain?.last && plan.verify) {
					// No answer, but it may have been written: the watch will tell (and then the audit Event is left).
					this.pending = {plan, at: this.now(), late: {why: outcome.uncertain.why, steps}};
					this.setActivity({tone: 'busy', text: sanitize(`${plan.title}: the API server did not answer (${outcome.uncertain.why}); waiting for the watch to show whether it was written…`), steps});
					this.checkPending();
					return;
				}
				if (!outcome.ok) {
					this.busy = undefined;
					this.driving = false;
					this.deps.refresh();
					this.setActivity({tone: 'error', text: sanitize(`${plan.title}: ${outcome.message}`), steps});
					return;
				}
				this.pending = {plan, at: this.now(), eventProblem: outcome.eventProblem};
				this.setActivity({tone: 'busy', text: `${sanitize(plan.title)}: written, waiting for the watch…`, steps});
				this.checkPending();
			})
			.catch((error: unknown) => {
				this.busy = undefined;
				this.driving = false;
				this.setActivity({tone: 'error', text: sanitize(`${plan.title}: ${(error as Error)?.message ?? String(error)}`)});
			});
	}

	private run(plan: Plan): ActionResponse {
		if (this.options.dryRun) return `dry run: nothing sent (${plan.steps.length} request${plan.steps.length === 1 ? '' : 's'} shown)`;
		if (this.busy) return `busy: ${sanitize(this.busy)} is under way; nothing sent, try again in a moment`;
		if (plan.continues === 'promotion') {
			this.driving = true;
			this.drivingFocus = this.focus;
		}
		// The line above the footer follows the change from here.
		if (plan.steps.length === 0) this.onChange();
		else this.send(plan);
		return undefined;
	}

	/** Plan an intent and ask for confirmation, showing what will change (and, with --dry-run, the requests). */
	private confirm(intent: Intent): ActionResponse {
		const t = this.target();
		if (!t) return 'the release is not loaded yet';
		const planned = this.plan(t, intent);
		if ('message' in planned) return sanitize(planned.message);
		const {plan} = planned;
		const lines = this.options.dryRun ? [...plan.changes, '', ...planAsText(plan)] : plan.changes;
		return {
			confirm: {
				title: sanitize(plan.title),
				lines: lines.map(sanitize),
				...(confirmsByName(t.namespace, this.options.config.confirmByName) ? {typeToConfirm: sanitize(t.release.name)} : {}),
				...(this.options.dryRun ? {dryRun: true} : {}),
				onConfirm: () => this.run(plan),
			},
		};
	}

	// --- keys ------------------------------------------------------------------------------------------

	/** An action key: a status line, or a dialog (confirmation, revision picker, weight prompt). */
	handle(command: ActionCommand, focus: ActionFocus = {}): ActionResponse {
		this.focus = focus.version;
		if (this.options.readOnly) return 'read-only (started with --read-only): nothing changes';
		// Plans are made from what the watches hold: not before every one has listed, nor while one reconnects.
		const connection = this.store.getState().connection.state;
		if (connection !== 'live') return connection === 'connecting' ? 'not yet: the view is still loading the release' : 'not now: the view is stale (see the top line); nothing changes';
		if (!this.identified) return 'not yet: asking the API server who you are';
		if (this.busy && command.name !== 'abort') return `busy: ${sanitize(this.busy)} is under way`;
		const t = this.target();
		if (!t) return 'the release is not loaded yet';
		const refusal = kindSpec(t.release.kind).refusal?.(t);
		if (refusal) return sanitize(refusal);
		switch (command.name) {
			case 'setWeight':
				return this.confirm({name: 'setWeight', percent: command.digit * 10});
			case 'exactWeight':
				return this.confirm({name: 'setWeight', percent: command.percent});
			case 'weightUp':
			case 'weightDown':
			case 'planPrev':
			case 'planNext':
			case 'typeWeight':
				return this.weightKey(command.name);
			case 'promote':
				if (this.driving) return 'a promotion is under way (a aborts it)';
				return this.confirm({name: 'promote'});
			case 'promoteFull':
				return this.confirm({name: 'promoteFull'});
			case 'restoreAnalysis':
				return this.confirm({name: 'restoreAnalysis'});
			case 'abort': {
				// Confirmed, an abort takes over from a promotion under way: the driver stops first.
				const response = this.confirm({name: 'abort'});
				if (response && typeof response === 'object' && 'confirm' in response) {
					const {onConfirm} = response.confirm;
					response.confirm.onConfirm = () => {
						this.driving = false;
						return onConfirm();
					};
				}
				return response;
			}
			case 'pause':
				return this.confirm({name: 'pause'});
			case 'undo':
				return this.revisionPicker(focus);
		}
	}

	/** --auto-abort: the abort without a dialog, its audit Event marked automatic with the verdict's reason. */
	autoAbort(reason: string): string | undefined {
		if (this.options.readOnly) return 'read-only (started with --read-only): nothing changes';
		const t = this.target();
		if (!t) return 'the release is not loaded yet';
		const planned = this.plan(t, {name: 'abort'});
		if ('message' in planned) return sanitize(planned.message);
		const {plan} = planned;
		if (plan.event) plan.event = {...plan.event, message: `${plan.event.message} (automatic: ${reason})`};
		this.driving = false;
		const response = this.run(plan);
		return typeof response === 'string' ? response : undefined;
	}

	/** --auto-advance: where the canary pair stands (weight, plan, the record on the canary Deployment). */
	advancePosition(): AdvancePosition | {message: string} {
		const t = this.target();
		if (!t) return {message: 'the release is not loaded yet'};
		const pair = canaryPair(t);
		if (!pair) return {message: sanitize(notACanary(t))};
		const current = currentCanaryWeight(t, this.options.router);
		if (typeof current !== 'number') return {message: sanitize(current.message)};
		const record = readAdvanceRecord(pair.canary.metadata.annotations?.[AUTO_ADVANCE_ANNOTATION]);
		const revision = pair.canary.metadata.annotations?.[REVISION_ANNOTATION];
		return {current, plan: this.options.config.weightPlan, ...(record ? {record} : {}), ...(revision === undefined ? {} : {revision})};
	}

	/** --auto-advance: the `]` step to `percent` without a dialog, recording the step on the canary Deployment; the audit Event says automatic. */
	autoAdvance(percent: number, step: number, reason: string): string | undefined {
		if (this.options.readOnly) return 'read-only (started with --read-only): nothing changes';
		if (this.store.getState().connection.state !== 'live') return 'not now: the view is not live';
		if (this.busy || this.driving) return `busy: ${sanitize(this.busy ?? 'a promotion')} is under way`;
		const t = this.target();
		if (!t) return 'the release is not loaded yet';
		const pair = canaryPair(t);
		if (!pair) return sanitize(notACanary(t));
		const options = this.planOptions();
		const at = options.now;
		const planned = kindSpec(t.release.kind).plan(t, {name: 'setWeight', percent}, options);
		if ('message' in planned) return sanitize(planned.message);
		const {plan} = planned;
		const record: AdvanceRecord = {step, weight: percent, at};
		const canaryName = nameOf(pair.canary);
		plan.steps = [
			...plan.steps,
			{method: 'PATCH', path: objectPath(pair.canary, 'Deployment', t.namespace), contentType: JSON_PATCH, body: advanceRecordOps(pair.canary.metadata.annotations, record), object: `Deployment/${canaryName}`, summary: `record auto-advance step ${step} (${percent}%) on ${canaryName}`},
		];
		plan.changes = [...plan.changes, `deploy/${canaryName}: annotation ${AUTO_ADVANCE_ANNOTATION} → step ${step} (${percent}%)`];
		if (plan.event) plan.event = {...plan.event, message: `${plan.event.message} (automatic: auto-advance step ${step}, ${reason})`};
		const response = this.run(plan);
		return typeof response === 'string' ? response : undefined;
	}

	/**
	 * --auto-advance stopped (verdict marginal or fail): the stop into the record on the canary Deployment (a JSON
	 * Patch that tests the old value), so that a view started again holds too, and an audit Event that says automatic.
	 * Not a `busy` action: it waits for a step under way, but nothing waits for it.
	 */
	recordAdvanceStop(stop: StopToRecord): string | undefined {
		if (this.options.readOnly) return 'read-only (started with --read-only): nothing changes';
		if (this.options.dryRun) return 'dry run: the stop is not recorded';
		if (this.store.getState().connection.state !== 'live') return 'not now: the view is not live';
		if (this.busy || this.driving) return `busy: ${sanitize(this.busy ?? 'a promotion')} is under way`;
		if (this.recordingStop) return 'busy: a stop is being recorded';
		const t = this.target();
		if (!t) return 'the release is not loaded yet';
		const pair = canaryPair(t);
		if (!pair) return sanitize(notACanary(t));
		const annotations = pair.canary.metadata.annotations;
		const record = stoppedRecord(readAdvanceRecord(annotations?.[AUTO_ADVANCE_ANNOTATION]), stop.weight, this.options.config.weightPlan, {why: stop.why, at: stop.at, ...(stop.revision === undefined ? {} : {revision: stop.revision})});
		const canaryName = nameOf(pair.canary);
		const plan: Plan = {
			title: `record the auto-advance stop on ${canaryName}`,
			changes: [`deploy/${canaryName}: annotation ${AUTO_ADVANCE_ANNOTATION} → stopped at ${record.weight}%`],
			steps: [{method: 'PATCH', path: objectPath(pair.canary, 'Deployment', t.namespace), contentType: JSON_PATCH, body: advanceRecordOps(annotations, record), object: `Deployment/${canaryName}`, summary: `record the auto-advance stop at ${record.weight}% on ${canaryName}`}],
			event: {reason: 'RollscopeAutoAdvanceStop', regarding: refOf(pair.canary, 'Deployment', t.namespace), message: `${t.user} stopped auto-advance of ${canaryName} at ${record.weight}% (automatic: ${stop.why}${stop.reason ? ` — ${stop.reason}` : ''})`},
			done: `auto-advance stop recorded on ${canaryName}`,
		};
		this.recordingStop = true;
		execute(this.deps.client, plan)
			.then(outcome => {
				if (outcome.ok && !outcome.eventProblem) return;
				if (!outcome.ok) this.deps.refresh();
				const problem = outcome.ok ? outcome.eventProblem : outcome.message;
				this.setActivity({tone: 'warn', text: sanitize(`auto-advance stopped; ${outcome.ok ? 'recorded, but' : 'not recorded:'} ${problem}`)});
			})
			.catch((error: unknown) => {
				this.setActivity({tone: 'warn', text: sanitize(`auto-advance stopped; not recorded: ${(error as Error)?.message ?? String(error)}`)});
			})
			.finally(() => {
				this.recordingStop = false;
			});
		return undefined;
	}

	private weightKey(key: WeightKey): ActionResponse {
		const t = this.target();
		if (!t) return 'the release is not loaded yet';
		const answer = kindSpec(t.release.kind).weightKey(t, key, this.planOptions());
		if ('message' in answer) return sanitize(answer.message);
		if ('prompt' in answer) return {promptWeight: {current: answer.prompt.current, onWeight: percent => this.confirm({name: 'setWeight', percent})}};
		return this.confirm(answer.intent);
	}

	private revisionPicker(focus: ActionFocus): ActionResponse {
		const t = this.target();
		if (!t) return 'the release is not loaded yet';
		const list = kindSpec(t.release.kind).revisions(t, focus.workload);
		if ('message' in list) return sanitize(list.message);
		const {workload: name, entries} = list;
		if (entries.length === 0) return `${list.prefix}/${sanitize(name)} has no revisions`;
		const revisions: RevisionChoice[] = entries.map(e => {
			const choice: RevisionChoice = {
				revision: e.revision,
				images: (e.replicaSet.spec?.template?.spec?.containers ?? []).map((c: {image?: string}) => sanitize(c.image ?? '')),
				pods: e.pods,
				current: e.current,
				diff: e.diff.map(diffText),
			};
			const cause = e.replicaSet.metadata.annotations?.['kubernetes.io/change-cause'];
			if (cause) choice.changeCause = sanitize(cause);
			return choice;
		});
		const focused = focus.workload === name && focus.revision !== undefined ? revisions.findIndex(r => r.revision === focus.revision) : -1;
		const initial = focused >= 0 ? focused : Math.max(0, revisions.findIndex(r => !r.current));
		return {pickRevision: {workload: sanitize(name), revisions, initial, onPick: revision => this.confirm({name: 'undo', deployment: name, revision})}};
	}
}

/** Ops that write the auto-advance record, testing the old one first. */
function advanceRecordOps(annotations: Record<string, string> | undefined, record: AdvanceRecord): JsonPatchOp[] {
	const value = JSON.stringify(record);
	if (annotations === undefined) return [{op: 'add', path: '/metadata/annotations', value: {[AUTO_ADVANCE_ANNOTATION]: value}}];
	const path = pointer('metadata', 'annotations', AUTO_ADVANCE_ANNOTATION);
	const old = annotations[AUTO_ADVANCE_ANNOTATION];
	return [...(old !== undefined ? [{op: 'test' as const, path, value: old}] : []), {op: 'add', path, value}];
}
