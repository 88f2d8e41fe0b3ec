// Wraps the App element: provides the metrics slice to the panels and header, and gives App the
// SLI rows to draw in each version panel (and how many rows they need, which follows the series).
import {cloneElement, useCallback, useSyncExternalStore, type ReactElement} from 'react';
import type {Version} from '../release/model.js';
import type {Store} from '../store/store.js';
import type {AppProps} from './App.js';
import {MetricsStoreContext} from './metrics-context.js';
import {sliRowCount, SliRows} from './SliRows.js';

type Props = {store: Store; children: ReactElement<AppProps>};

export function WithMetrics({store, children}: Props) {
	const metrics = useSyncExternalStore(store.subscribe, () => store.getState().metrics);
	const renderSli = useCallback((version: Version, width: number) => <SliRows version={version} width={width} />, []);
	return <MetricsStoreContext.Provider value={store}>{cloneElement(children, {renderSli, sliRows: sliRowCount(metrics)})}</MetricsStoreContext.Provider>;
}
