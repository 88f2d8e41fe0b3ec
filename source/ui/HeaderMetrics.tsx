// The header's metrics words, inline after the intended traffic split: the split measured from
// request rates, and where the SLIs come from with the time of the newest step.
import {Text} from 'ink';
import {measuredSplit, type MetricsState} from '../metrics/state.js';
import type {Release} from '../release/model.js';
import {text} from './format.js';
import {clock} from '../text/format.js';
import {orderVersions} from '../release/versions.js';
import {useMetrics} from './metrics-context.js';

/** `(measured 91/9)` in panel order, or `(measured: no data)` when a version has no rate. */
export function measuredLabel(release: Release, metrics: MetricsState): string {
	const ids = orderVersions(release.versions).map(v => v.id);
	const split = measuredSplit(metrics, ids);
	if (!split) return '(measured: no data)';
	return `(measured ${ids.map(id => Math.round(split[id]!)).join('/')})`;
}

/** `SLIs: prometheus 127.0.0.1:9090 · istio @ 12:01:05`. */
export function sourceLabel(metrics: MetricsState): string {
	const at = metrics.end !== undefined && metrics.status.state === 'ok' ? ` @ ${clock(metrics.end)}` : '';
	return `SLIs: ${text(metrics.source)}${at}`;
}

export function HeaderMetrics({release}: {release?: Release}) {
	const metrics = useMetrics();
	if (!metrics) return null;
	const outage = metrics.status.state === 'outage';
	return (
		<>
			{release && release.versions.length > 1 ? <Text dimColor={outage}>{` ${measuredLabel(release, metrics)}`}</Text> : null}
			<Text color={outage ? 'red' : undefined} dimColor={!outage}>{`   ${sourceLabel(metrics)}${outage ? ' unreachable' : ''}`}</Text>
		</>
	);
}
