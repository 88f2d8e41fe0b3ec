// Reading the quantities a config file may hold: durations, ratios, bytes, CPU. Each returns the
// value in base units (seconds, 0..1, bytes, cores) or a message saying what was expected.

export type Parsed = {value: number} | {error: string};

const durationUnits: Record<string, number> = {ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800};

/** `1m`, `30s`, `250ms`, `1h30m`, `1.5s`, or a number of seconds. */
export function parseDuration(input: unknown): Parsed {
	const expected = 'expected a duration such as 250ms, 30s, 10m or 1h';
	if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? {value: input} : {error: `${expected}, got ${input}`};
	if (typeof input !== 'string') return {error: `${expected}, got ${describe(input)}`};
	const text = input.trim();
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
	if (parts.length === 0 || parts.map(p => p[0]).join('') !== text) return {error: `${expected}, got ${JSON.stringify(input)}`};
	const value = parts.reduce((sum, p) => sum + Number(p[1]) * durationUnits[p[2]!]!, 0);
	return value > 0 ? {value} : {error: `${expected}, got ${JSON.stringify(input)}`};
}

/** `1%`, `0.5%`, or a number from 0 to 1. */
export function parseRatio(input: unknown): Parsed {
	const expected = 'expected a percentage such as 1% or a ratio from 0 to 1';
	if (typeof input === 'number') return input >= 0 && input <= 1 ? {value: input} : {error: `${expected}, got ${input}`};
	if (typeof input === 'string') {
		const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(input);
		if (m && Number(m[1]) <= 100) return {value: Number(m[1]) / 100};
		const n = Number(input);
		if (input.trim() !== '' && Number.isFinite(n)) return parseRatio(n);
	}
	return {error: `${expected}, got ${describe(input)}`};
}

const byteUnits: Record<string, number> = {'': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4};

/** `512Mi`, `1Gi`, `300M`, or a number of bytes. */
export function parseBytes(input: unknown): Parsed {
	const expected = 'expected a size such as 512Mi, 1Gi or a number of bytes';
	if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? {value: input} : {error: `${expected}, got ${input}`};
	if (typeof input === 'string') {
		const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*(Ki|Mi|Gi|Ti|k|M|G|T)?\s*$/.exec(input);
		if (m) return {value: Number(m[1]) * byteUnits[m[2] ?? '']!};
	}
	return {error: `${expected}, got ${describe(input)}`};
}

/** `500m` (millicores), or a number of cores. */
export function parseCores(input: unknown): Parsed {
	const expected = 'expected CPU such as 500m or 0.5 (cores)';
	if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? {value: input} : {error: `${expected}, got ${input}`};
	if (typeof input === 'string') {
		const m = /^\s*(\d+(?:\.\d+)?)\s*(m?)\s*$/.exec(input);
		if (m) return {value: m[2] ? Number(m[1]) / 1000 : Number(m[1])};
	}
	return {error: `${expected}, got ${describe(input)}`};
}

/** A number of requests per second. */
export function parseRate(input: unknown): Parsed {
	if (typeof input === 'number' && Number.isFinite(input) && input >= 0) return {value: input};
	if (typeof input === 'string' && /^\s*\d+(?:\.\d+)?\s*(?:\/s)?\s*$/.test(input)) return {value: Number.parseFloat(input)};
	return {error: `expected requests per second such as 100, got ${describe(input)}`};
}

export function describe(value: unknown): string {
	if (value === null || value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	return JSON.stringify(value);
}

/** Seconds as a PromQL duration: whole seconds as `Ns`, else milliseconds. */
export function promDuration(seconds: number): string {
	const ms = Math.round(seconds * 1000);
	return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
