// Wraps the App element: provides the metrics slice (and the history, for the weight row) to the panels and
// header, and gives App what to draw under each version panel's info lines (the weight over time, the SLI
// rows, then the verdict per SLI) and how many rows that needs, which follows the series and whether a window
// has been judged.
import {cloneElement, useCallback, useSyncExternalStore, type ReactElement} from 'react';
import type {Version} from '../release/model.js';
import type {StateSource} from '../store/store.js';
import type {TimeTravel} from '../history/travel.js';
import {TravelContext} from './travel-context.js';
import type {AppProps} from './App.js';
import {MetricsStoreContext} from './metrics-context.js';
import {sliRowCount, SliRows} from './SliRows.js';
import {SliVerdicts, verdictRowCount} from './SliVerdicts.js';

type Props = {
	/** The state the view shows (the store, or a moment of its past). */
	store: StateSource;
	/** The history: a weight row over the SLI rows' time axis. */
	travel?: TimeTravel;
	children: ReactElement<AppProps>;
};

export function WithMetrics({store, travel, children}: Props) {
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
	const sliRows = sliRowCount(metrics, Boolean(travel)) + verdictRowCount(release, verdict);
	return (
		<MetricsStoreContext.Provider value={store}>
			<TravelContext.Provider value={travel}>{cloneElement(children, {renderSli, sliRows})}</TravelContext.Provider>
		</MetricsStoreContext.Provider>
	);
}
