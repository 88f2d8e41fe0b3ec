// Gives components inside the view (version panels, header) the metrics slice of the app store,
// without threading it through App: WithMetrics provides the store, useMetrics reads the slice.
import {createContext, useContext, useSyncExternalStore} from 'react';
import type {MetricsState} from '../metrics/state.js';
import type {StateSource} from '../store/store.js';

export const MetricsStoreContext = createContext<StateSource | undefined>(undefined);

const noSubscription = () => () => {};

/** The metrics slice, or undefined when metrics are off or nothing provides the store. */
export function useMetrics(): MetricsState | undefined {
	const store = useContext(MetricsStoreContext);
	return useSyncExternalStore(store?.subscribe ?? noSubscription, () => store?.getState().metrics);
}

/** Whether the view runs with metrics wired at all (a provider is present). */
export function useMetricsWired(): boolean {
	return useContext(MetricsStoreContext) !== undefined;
}
