// Which preset fits a namespace: one instant query asks which of the presets' metrics have series
// there, and the first in order of preference wins.
import type {CallOptions, PromClient} from './prometheus-client.js';
import {detectionOrder, presets, type PresetName} from './presets.js';
import {promString} from './template.js';

export function detectionQuery(namespace: string): string {
	return detectionOrder
		.map(name => `label_replace(group(${presets[name].detect.replaceAll('{{namespace}}', promString(namespace))}), "preset", "${name}", "", "")`)
		.join(' or ');
}

/** The preset whose metrics exist in the namespace, or undefined when none do. Rejects with a PromError. */
export async function detectPreset(client: PromClient, namespace: string, options: CallOptions = {}): Promise<PresetName | undefined> {
	const answer = await client.instant(detectionQuery(namespace), undefined, options);
	const found = new Set(answer.series.map(s => s.labels.preset));
	return detectionOrder.find(name => found.has(name));
}
