// Telling the stable side of a canary pair from the canary side.
import type {KObject} from '../kube/object.js';
import type {Side} from '../traffic/router.js';
import {mapMatches, templateLabels} from './labels.js';
import {compareText, createdAt, nameOf} from './object-fields.js';
import type {Scan} from './scan.js';

/** Pod labels whose value says which side a Deployment is. */
export const ROLE_LABELS = ['track', 'version', 'role', 'variant'];
const STABLE_WORDS = new Set(['stable', 'primary', 'main', 'prod', 'production']);
const CANARY_WORDS = new Set(['canary']);

type Hint = 'stable' | 'canary' | undefined;

function hintOfWord(word: string | undefined): Hint {
	if (word === undefined) return undefined;
	const lower = word.toLowerCase();
	if (CANARY_WORDS.has(lower)) return 'canary';
	if (STABLE_WORDS.has(lower)) return 'stable';
	return undefined;
}

function hintOfName(name: string): Hint {
	const words = name.toLowerCase().split(/[-._]/);
	if (words.some(w => CANARY_WORDS.has(w))) return 'canary';
	if (words.some(w => STABLE_WORDS.has(w))) return 'stable';
	return undefined;
}

/** Whether two Deployments are told apart by a role label: one says canary, the other something else. */
export function toldApartByLabel(a: KObject, b: KObject): boolean {
	const la = templateLabels(a);
	const lb = templateLabels(b);
	return ROLE_LABELS.some(key => {
		const va = la[key];
		const vb = lb[key];
		return va !== undefined && vb !== undefined && va !== vb && (hintOfWord(va) === 'canary' || hintOfWord(vb) === 'canary');
	});
}

/** What a Deployment's labels, name, own Services and DestinationRule subsets say it is. */
function hintOf(deployment: KObject, ownServices: string[], scan: Scan): Hint {
	const labels = templateLabels(deployment);
	for (const key of ROLE_LABELS) {
		const hint = hintOfWord(labels[key]);
		if (hint) return hint;
	}
	const byName = hintOfName(nameOf(deployment));
	if (byName) return byName;
	for (const service of ownServices) {
		const hint = hintOfName(service);
		if (hint) return hint;
	}
	for (const rule of scan.ctx.objects) {
		if (rule.kind !== 'DestinationRule') continue;
		for (const subset of rule.spec?.subsets ?? []) {
			if (typeof subset?.name === 'string' && mapMatches(subset.labels, labels)) {
				const hint = hintOfWord(subset.name);
				if (hint) return hint;
			}
		}
	}
	return undefined;
}

/** Services that select one Deployment and none of the others. */
export function ownServices(deployment: KObject, others: readonly KObject[], scan: Scan): string[] {
	const theirs = new Set(others.filter(o => o !== deployment).flatMap(o => scan.servicesOf(o)));
	return scan.servicesOf(deployment).filter(s => !theirs.has(s)).map(nameOf);
}

/** [stable, canary]: by hints; else the older Deployment is stable. */
export function orderPair(a: KObject, b: KObject, scan: Scan): [KObject, KObject] {
	const ha = hintOf(a, ownServices(a, [b], scan), scan);
	const hb = hintOf(b, ownServices(b, [a], scan), scan);
	if (ha !== hb) {
		if (ha === 'canary' || hb === 'stable') return [b, a];
		if (hb === 'canary' || ha === 'stable') return [a, b];
	}
	const age = createdAt(a) - createdAt(b);
	if (age !== 0) return age < 0 ? [a, b] : [b, a];
	return compareText(nameOf(a), nameOf(b)) <= 0 ? [a, b] : [b, a];
}

/**
 * The versions of a release in panel order: the stable one first (what its labels, name or Services say, else
 * the oldest), then the others by name. Weights play no part, so panels do not move when weights change.
 */
export function orderVersions(deployments: readonly KObject[], scan: Scan): KObject[] {
	if (deployments.length === 2) return orderPair(deployments[0]!, deployments[1]!, scan);
	const byAge = (a: KObject, b: KObject) => createdAt(a) - createdAt(b) || compareText(nameOf(a), nameOf(b));
	const hinted = deployments.filter(d => hintOf(d, ownServices(d, deployments, scan), scan) === 'stable');
	const stable = (hinted.length === 1 ? hinted : [...deployments].sort(byAge))[0]!;
	return [stable, ...deployments.filter(d => d !== stable).sort((a, b) => compareText(nameOf(a), nameOf(b)))];
}

/** How the router modules recognise each version, in the order given. */
export function sidesOf(deployments: readonly KObject[], scan: Scan): Side[] {
	return deployments.map(d => ({id: nameOf(d), labels: templateLabels(d), services: ownServices(d, deployments, scan)}));
}
