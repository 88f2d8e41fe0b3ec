// Two header lines: what is watched and the connection; then revisions, traffic and progress.
import {Box, Text} from 'ink';
import type {Release, Version} from '../release/model.js';
import type {ConnectionState, VerdictSlice} from '../store/state.js';
import {kindLabel, text, type Colour} from './format.js';
import {routerLabel} from '../traffic/routers.js';
import {clock} from '../text/format.js';
import {orderVersions, weightOf} from '../release/versions.js';
import {HeaderMetrics} from './HeaderMetrics.js';
import {HeaderVerdict} from './HeaderVerdict.js';

export type ConnectionView = {symbol: string; text: string; colour: Colour};

/** `· retry in 3s (attempt 2)`, or '' without a retry due. */
function retryText(retryAt: number | undefined, attempt: number | undefined, now: number): string {
	if (retryAt === undefined) return '';
	const seconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
	return ` · ${seconds > 0 ? `retry in ${seconds}s` : 'retrying'}${attempt ? ` (attempt ${attempt})` : ''}`;
}

/**
 * The connection as a symbol, words and a colour (the words carry the meaning; colour helps). Stale says since
 * when the screen may be out of date and why.
 */
export function connectionView(connection: ConnectionState, now: number): ConnectionView {
	switch (connection.state) {
		case 'live':
			if (connection.unreadable?.length) {
				const [first, ...more] = connection.unreadable.map(text);
				return {symbol: '●', text: `live · may not read ${first}${more.length > 0 ? ` and ${more.length} more` : ''}`, colour: 'yellow'};
			}
			return {symbol: '●', text: 'live', colour: 'green'};
		case 'connecting':
			if (!connection.problem) return {symbol: '○', text: 'connecting…', colour: 'yellow'};
			return {symbol: '○', text: `${text(connection.problem)}${retryText(connection.retryAt, connection.attempt, now)}`, colour: 'red'};
		case 'stale':
			return {symbol: '◌', text: `stale since ${clock(connection.since)} · ${text(connection.why)}${retryText(connection.retryAt, connection.attempt, now)}`, colour: 'red'};
	}
}

export {weightOf};

/** What the router's match routes send to a version: `header x-canary=always`, several joined by `, `. */
export function routesOf(release: Release, version: Version): string[] {
	return (release.traffic?.routes ?? []).filter(r => r.version === version.id).map(r => text(r.match));
}

/**
 * `canary 10% + requests with header x-canary=always` for each version a match route reaches, so one line says
 * what reaches it by weight and what by header; '' without match routes.
 */
export function routesLabel(release: Release): string {
	return orderVersions(release.versions)
		.map(v => ({v, routes: routesOf(release, v)}))
		.filter(x => x.routes.length > 0)
		.map(({v, routes}) => {
			const w = weightOf(release, v);
			return `${v.role === 'canary' && release.versions.filter(o => o.role === 'canary').length === 1 ? 'canary' : text(v.id)} ${w === undefined ? '?' : `${Math.round(w)}%`} + requests with ${routes.join(' or ')}`;
		})
		.join(' · ');
}

/** `rev 7 → 8`; old revisions before the arrow, new after. */
export function revisionsLabel(versions: readonly Version[]): string {
	const ordered = orderVersions(versions).filter((v) => v.revision !== undefined);
	if (ordered.length === 0) return '';
	const isNew = (v: Version) => v.role === 'canary' || v.role === 'preview' || v.role === 'new';
	const olds = ordered.filter((v) => !isNew(v)).map((v) => v.revision);
	const news = ordered.filter(isNew).map((v) => v.revision);
	if (olds.length === 0 || news.length === 0) return `rev ${ordered.map((v) => v.revision).join(', ')}`;
	return `rev ${olds.join(', ')} → ${news.join(', ')}`;
}

/** `traffic 90% | 10%` in panel order, or '' when no weight is known. */
export function trafficLabel(release: Release): string {
	const ordered = orderVersions(release.versions);
	const weights = ordered.map((v) => weightOf(release, v));
	if (weights.every((w) => w === undefined)) return '';
	const split = weights.map((w) => (w === undefined ? '?' : `${Math.round(w)}%`)).join(' | ');
	const router = release.traffic?.router;
	const how = router === 'replicas' || router === 'deployment' ? ' (by replicas)' : '';
	const managed = release.traffic?.managedBy ? ` · managed by ${text(release.traffic.managedBy)}` : '';
	return `traffic ${split}${how}${managed}`;
}

type Props = {
	release?: Release;
	target?: string;
	namespace: string;
	context: string;
	connection: ConnectionState;
	now: number;
	width: number;
	/** The verdict on the new version; absent: no verdict in this view. */
	verdict?: VerdictSlice;
	/** A moment of the past (or of a recording) is shown: its words take the connection's place. */
	travel?: string;
	/** The moment is in the past of a live view (yellow, bold). */
	past?: boolean;
};

const gap = '   ';

export function Header({release, target, namespace, context, connection, now, width, verdict, travel, past}: Props) {
	const name = release ? `${text(release.namespace)}/${text(release.name)}` : target ? `${namespace}/${target}` : namespace;
	const router = release?.traffic && release.traffic.router !== 'deployment' ? routerLabel(release.traffic.router) : '';
	const kind = release ? [kindLabel(release.kind), router].filter(Boolean).join(' · ') : '';
	const left = ` rollscope  ${name}${kind ? `  ${kind}` : ''}  ctx: ${text(context)}`;
	const conn: ConnectionView = travel ? {symbol: '', text: travel, colour: past ? 'yellow' : 'cyan'} : connectionView(connection, now);
	const right = ` ${conn.symbol ? `${conn.symbol} ` : ''}${conn.text} `;
	const rightWidth = Math.max(0, Math.min(right.length, width - Math.min(left.length + 2, 11)));
	const progress = release?.progress;
	const revs = release ? revisionsLabel(release.versions) : '';
	const traffic = release ? trafficLabel(release) : '';
	const routes = release ? routesLabel(release) : '';
	return (
		<Box flexDirection="column" width={width} height={2} flexShrink={0}>
			<Box width={width} height={1} overflow="hidden">
				<Box width={width - rightWidth} flexShrink={0}>
					<Text wrap="truncate">
						<Text bold inverse> rollscope </Text>
						<Text bold>{`  ${name}`}</Text>
						<Text>{kind ? `  ${kind}` : ''}</Text>
						<Text dimColor>{`  ctx: ${text(context)}`}</Text>
					</Text>
				</Box>
				<Box width={rightWidth} flexShrink={0} justifyContent="flex-end">
					<Text wrap="truncate" color={conn.colour} bold={connection.state !== 'live' || Boolean(travel)} inverse={past}>{right}</Text>
				</Box>
			</Box>
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate">
					<Text>{' '}</Text>
					{revs ? <Text bold>{revs + gap}</Text> : null}
					{release && verdict ? <HeaderVerdict release={release} verdict={verdict} /> : null}
					{progress?.deadlineExceeded ? <Text color="red" bold>{'✗ ProgressDeadlineExceeded' + gap}</Text> : null}
					{progress?.paused ? <Text color="yellow" bold>{'paused' + gap}</Text> : null}
					{progress && progress.complete && !progress.deadlineExceeded ? <Text color="green">{'✓ complete' + gap}</Text> : null}
					{progress ? <Text>{`progress ${progress.updated}/${progress.desired} updated · ${progress.ready} ready · ${progress.available} available${gap}`}</Text> : null}
					{traffic ? <Text>{traffic}</Text> : null}
					{routes ? <Text color="magenta">{`${traffic ? ' · ' : ''}${routes}`}</Text> : null}
					{release ? <HeaderMetrics release={release} /> : null}
					{!release ? <Text dimColor>{target ? `waiting for ${target}…` : 'choose a release to watch'}</Text> : null}
				</Text>
			</Box>
		</Box>
	);
}
