// Asks Prometheus for one window's counts (three instant queries, in parallel) and hands back the
// judge's WindowData.
import type {PromClient} from '../metrics/prometheus-client.js';
import type {WindowData} from './judge.js';
import {windowData, type WindowPlan} from './window-queries.js';

export type WindowFetch = {data: WindowData; warnings: string[]};

export async function fetchWindow(client: PromClient, plan: WindowPlan, options: {time?: number; signal?: AbortSignal} = {}): Promise<WindowFetch> {
	const time = options.time ?? Date.now();
	const call = {signal: options.signal};
	const [requests, errors, buckets] = await Promise.all([client.instant(plan.requests, time, call), client.instant(plan.errors, time, call), client.instant(plan.buckets, time, call)]);
	return {
		data: windowData(plan, {requests: requests.series, errors: errors.series, buckets: buckets.series}),
		warnings: [...requests.warnings, ...errors.warnings, ...buckets.warnings],
	};
}
