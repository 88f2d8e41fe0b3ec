// Finding the releases of a namespace made of several Deployments: canary releases (two or more versions
// split by a router object, or a pair behind one Service) and blue-green pairs.
import type {KObject} from '../kube/object.js';
import {routers, type FoundTraffic} from '../traffic/routers.js';
import {templateLabels} from './labels.js';
import {compareText, nameOf} from './object-fields.js';
import {orderPair, orderVersions, sidesOf, toldApartByLabel} from './roles.js';
import type {Scan} from './scan.js';

/** Versions a router object splits traffic between (stable first), or a pair a Service and a role label tell apart. */
export type CanaryGroup = {versions: KObject[]; traffic?: FoundTraffic};
export type BlueGreenPair = {active: KObject; preview: KObject; activeService: KObject; previewService?: KObject};

/** Above this many Deployments behind one Service or router, versions are not guessed. */
const MAX_GROUP = 8;

function pairsIn(group: KObject[]): Array<[KObject, KObject]> {
	if (group.length < 2 || group.length > MAX_GROUP) return [];
	const pairs: Array<[KObject, KObject]> = [];
	for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) pairs.push([group[i]!, group[j]!]);
	return pairs;
}

function unique(objects: KObject[]): KObject[] {
	return [...new Set(objects)].sort((a, b) => compareText(nameOf(a), nameOf(b)));
}

/**
 * Canary releases: the Deployments a router object splits traffic between (by weight, or by a header route),
 * two or more; else two Deployments that one Service selects and a role label (track/version: canary) tells
 * apart. Routers are tried in order of preference, their objects by name. Claims the Deployments it takes.
 */
export function findCanaryGroups(scan: Scan, claimed: Set<KObject>): CanaryGroup[] {
	const groups: CanaryGroup[] = [];
	const routerObjects = [...scan.ctx.objects].sort((a, b) => compareText(nameOf(a), nameOf(b)));
	for (const router of routers) {
		for (const object of routerObjects) {
			if (!router.handles(object)) continue;
			const services = router.backends(object, scan.ctx).map(name => scan.service(name)).filter((s): s is KObject => s !== undefined);
			const behind = unique(services.flatMap(s => scan.selectedBy(s))).filter(d => !claimed.has(d));
			if (behind.length < 2 || behind.length > MAX_GROUP) continue;
			const reading = router.read(object, sidesOf(behind, scan), scan.ctx);
			if (!reading) continue;
			const members = behind.filter(d => nameOf(d) in reading.weights);
			if (members.length < 2) continue;
			// Told apart again among the members only: a Service of a version may select another that is not routed to.
			const versions = orderVersions(members, scan);
			const final = router.read(object, sidesOf(versions, scan), scan.ctx);
			if (!final) continue;
			for (const d of versions) claimed.add(d);
			groups.push({versions, traffic: {router, object, reading: final}});
		}
	}
	for (const service of scan.services) {
		for (const [a, b] of pairsIn(scan.selectedBy(service))) {
			if (claimed.has(a) || claimed.has(b) || !toldApartByLabel(a, b)) continue;
			claimed.add(a);
			claimed.add(b);
			groups.push({versions: orderPair(a, b, scan)});
		}
	}
	return groups;
}

/** Pod-label keys (or values) by which the two colours of a blue-green pair differ. */
const COLOUR_LABELS = new Set(['color', 'colour', 'slot', 'version', 'track', 'variant']);
const COLOURS = new Set(['blue', 'green']);

/** The two templates have the same labels but for one colour-like key. */
function differByColour(a: KObject, b: KObject): boolean {
	const la = templateLabels(a);
	const lb = templateLabels(b);
	const keys = new Set([...Object.keys(la), ...Object.keys(lb)]);
	const differing = [...keys].filter(key => la[key] !== lb[key]);
	if (differing.length !== 1 || differing.length === keys.size) return false;
	const key = differing[0];
	const va = la[key];
	const vb = lb[key];
	return va !== undefined && vb !== undefined && (COLOUR_LABELS.has(key) || (COLOURS.has(va) && COLOURS.has(vb)));
}

const isPreview = (service: KObject) => nameOf(service).toLowerCase().includes('preview');

function byPreference(a: KObject, b: KObject): number {
	return Number(isPreview(b)) - Number(isPreview(a)) || nameOf(a).length - nameOf(b).length || compareText(nameOf(a), nameOf(b));
}

/**
 * Blue-green pairs: a Service (not a preview one) selects exactly one of two Deployments that differ by one
 * colour-like label, and no Service selects both; the preview Service is one that selects the other only. Claims the Deployments it pairs.
 */
export function findBlueGreenPairs(scan: Scan, claimed: Set<KObject>): BlueGreenPair[] {
	const pairs: BlueGreenPair[] = [];
	const services = [...scan.services].sort((a, b) => Number(isPreview(a)) - Number(isPreview(b)) || nameOf(a).length - nameOf(b).length || compareText(nameOf(a), nameOf(b)));
	for (const activeService of services) {
		if (isPreview(activeService)) continue;
		const selected = scan.selectedBy(activeService);
		if (selected.length !== 1 || claimed.has(selected[0])) continue;
		const active = selected[0];
		// A Service in front of both would send traffic to both: that is not blue-green.
		const frontsBoth = (d: KObject) => scan.servicesOf(d).some(s => scan.selectedBy(s).includes(active));
		const partners = scan.deployments.filter(d => d !== active && !claimed.has(d) && differByColour(active, d) && !frontsBoth(d));
		const previewServiceOf = (d: KObject) =>
			scan
				.servicesOf(d)
				.filter(s => !scan.selectedBy(s).includes(active))
				.sort(byPreference)[0];
		partners.sort((a, b) => Number(previewServiceOf(b) !== undefined) - Number(previewServiceOf(a) !== undefined));
		const preview = partners[0];
		if (!preview) continue;
		claimed.add(active);
		claimed.add(preview);
		const previewService = previewServiceOf(preview);
		pairs.push(previewService ? {active, preview, activeService, previewService} : {active, preview, activeService});
	}
	return pairs;
}
