// Labels and label selectors of plain Kubernetes objects.
import type {KObject} from '../kube/object.js';

export type Labels = Record<string, string>;

export type LabelSelector = {
	matchLabels?: Labels;
	matchExpressions?: Array<{key: string; operator: string; values?: string[]}>;
};

export function labelsOf(obj: KObject): Labels {
	return obj.metadata.labels ?? {};
}

/** Labels of the pods a workload (Deployment, ReplicaSet) creates. */
export function templateLabels(workload: KObject): Labels {
	return workload.spec?.template?.metadata?.labels ?? {};
}

/** A map selector (Service, DestinationRule subset) matches when it is non-empty and every pair is in the labels. */
export function mapMatches(selector: Labels | undefined, labels: Labels): boolean {
	const entries = Object.entries(selector ?? {});
	return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** Whether a Service's selector picks the pods of a workload. */
export function serviceSelects(service: KObject, workload: KObject): boolean {
	return mapMatches(service.spec?.selector, templateLabels(workload));
}

/** The selector as kubectl prints it: `app=web,tier in (a,b)`. */
export function selectorString(selector: LabelSelector | Labels | undefined): string {
	if (!selector) return '';
	const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
	const map = (isLabelSelector ? (selector as LabelSelector).matchLabels : (selector as Labels)) ?? {};
	const parts = Object.entries(map).map(([key, value]) => `${key}=${value}`);
	for (const expr of isLabelSelector ? (selector as LabelSelector).matchExpressions ?? [] : []) {
		const values = (expr.values ?? []).join(',');
		switch (expr.operator) {
			case 'In':
				parts.push(`${expr.key} in (${values})`);
				break;
			case 'NotIn':
				parts.push(`${expr.key} notin (${values})`);
				break;
			case 'Exists':
				parts.push(expr.key);
				break;
			case 'DoesNotExist':
				parts.push(`!${expr.key}`);
				break;
		}
	}
	return parts.join(',');
}
