// Wraps the App element: provides the metrics slice to the panels and header, and gives App what to draw
// under each version panel's info lines (the SLI rows, then the verdict per SLI) and how many rows that
// needs, which follows the series and whether a window has been judged.
import {cloneElement, useCallback, useSyncExternalStore, type ReactElement} from 'react';
import type {Version} from '../release/model.js';
import type {Store} from '../store/store.js';
import type {AppProps} from './App.js';
import {MetricsStoreContext} from './metrics-context.js';
import {sliRowCount, SliRows} from './SliRows.js';
import {SliVerdicts, verdictRowCount} from './SliVerdicts.js';

type Props = {store: Store; children: ReactElement<AppProps>};

export function WithMetrics({store, children}: Props) {
	const metrics = useSyncExternalStore(store.subscribe, () => store.getState().metrics);
	const release = useSyncExternalStore(store.subscribe, () => store.getState().release);
	const verdict = useSyncExternalStore(store.subscribe, () => store.getState().verdict);
	const renderSli = useCallback(
		(version: Version, width: number) => (
			<>
				<SliRows version={version} width={width} />
				{release ? <SliVerdicts release={release} version={version} slice={verdict} width={width} /> : null}
			</>
		),
		[release, verdict],
	);
	const sliRows = sliRowCount(metrics) + verdictRowCount(release, verdict);
	return <MetricsStoreContext.Provider value={store}>{cloneElement(children, {renderSli, sliRows})}</MetricsStoreContext.Provider>;
}
