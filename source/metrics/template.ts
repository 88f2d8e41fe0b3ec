// PromQL templates: `{{name}}` placeholders filled per release. Values are made safe for where
// they go (a label value, a regular expression inside a label matcher).

export const placeholders = {
	namespace: 'the release namespace',
	label: 'the label whose values tell versions apart',
	versions: 'a regular expression matching the version label values of the release',
	window: 'the rate window (rateWindow), such as 1m',
	pods: 'a regular expression matching the release pods by name; group 1 is the version',
	services: 'a regular expression matching the Services in front of the release',
} as const;

export type Placeholder = keyof typeof placeholders;
export type TemplateValues = Record<Placeholder, string>;

const pattern = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Placeholders a template uses that are not known. */
export function unknownPlaceholders(template: string): string[] {
	return [...template.matchAll(pattern)].map(m => m[1]!).filter(name => !Object.hasOwn(placeholders, name));
}

export function fill(template: string, values: TemplateValues): string {
	return template.replace(pattern, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as Placeholder] : whole));
}

/** Text safe inside a PromQL double-quoted string. */
export function promString(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A regular expression (RE2) that matches exactly the given texts, ready for a PromQL string. */
export function alternation(values: readonly string[]): string {
	const escaped = [...new Set(values)].map(v => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
	return promString(escaped.length === 0 ? '$^' : escaped.join('|'));
}

/** A label name is [a-zA-Z_][a-zA-Z0-9_]*. */
export function isLabelName(text: string): boolean {
	return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(text);
}
