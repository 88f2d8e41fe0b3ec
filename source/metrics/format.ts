// SLI values as short text with their unit: `412/s`, `1.90%`, `310ms`, `1.25s`, `120m`, `312Mi`.
// No data is `no data`, never 0.
import type {Unit} from './slis.js';

export const noData = 'no data';

function rate(v: number): string {
	if (v < 1) return `${v.toFixed(2)}/s`;
	if (v < 10) return `${v.toFixed(1)}/s`;
	if (v < 10_000) return `${Math.round(v)}/s`;
	if (v < 1e6) return `${(v / 1000).toFixed(1)}k/s`;
	return `${(v / 1e6).toFixed(1)}M/s`;
}

function ratio(v: number): string {
	const pct = v * 100;
	if (pct >= 99.995) return '100%';
	return pct < 10 ? `${pct.toFixed(2)}%` : `${pct.toFixed(1)}%`;
}

function seconds(v: number): string {
	const ms = v * 1000;
	if (ms < 10) return `${ms.toFixed(1)}ms`;
	if (ms < 999.5) return `${Math.round(ms)}ms`;
	if (v < 10) return `${v.toFixed(2)}s`;
	return `${v.toFixed(1)}s`;
}

function cores(v: number): string {
	const milli = v * 1000;
	if (milli < 10) return `${milli.toFixed(1)}m`;
	if (v < 10) return `${Math.round(milli)}m`;
	return v.toFixed(1);
}

function bytes(v: number): string {
	const mi = v / 1024 ** 2;
	if (mi < 1) return `${Math.round(v / 1024)}Ki`;
	if (mi < 10) return `${mi.toFixed(1)}Mi`;
	if (mi < 1024) return `${Math.round(mi)}Mi`;
	return `${(mi / 1024).toFixed(2)}Gi`;
}

const formatters: Record<Unit, (v: number) => string> = {rps: rate, ratio, seconds, cores, bytes};

export function formatValue(value: number | undefined | null, unit: Unit): string {
	if (value === undefined || value === null || Number.isNaN(value)) return noData;
	if (value === Infinity) return unit === 'seconds' ? '+Inf' : '∞';
	if (value === -Infinity) return '-∞';
	return formatters[unit](Math.max(0, value));
}
