// Image identity, as release practice asks for it: a version should run one build, named by a tag that does
// not move. Flagged: an image with no tag or `:latest` (whatever the tag points at when a node pulls it), and
// one tag whose pods run different digests (status.containerStatuses[].imageID: the tag moved between pulls).
import type {KObject} from '../kube/object.js';
import {onceForFrozen} from './lean.js';
import {sanitize} from './sanitize.js';

/** The tag of an image reference, '' without one; undefined when a digest pins it. */
export function tagOf(image: string): string | undefined {
	if (image.includes('@')) return undefined;
	const slash = image.lastIndexOf('/');
	const colon = image.lastIndexOf(':');
	return colon > slash ? image.slice(colon + 1) : '';
}

/** The digest an imageID names (`docker-pullable://reg/app@sha256:…`, `reg/app@sha256:…`, `sha256:…`), or undefined. */
export function digestOf(imageId: unknown): string | undefined {
	if (typeof imageId !== 'string') return undefined;
	return /sha256:[0-9a-f]{12,}/.exec(imageId)?.[0];
}

const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

type ContainerStatus = {name?: unknown; imageID?: unknown};

/** The tagged images a pod's containers run, each with its digest; kept for a frozen pod. */
const imagesRun = onceForFrozen((pod): ReadonlyArray<readonly [string, string]> => {
	const specs: Array<{name?: unknown; image?: unknown}> = Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
	const statuses: ContainerStatus[] = Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
	const found: Array<readonly [string, string]> = [];
	for (const status of statuses) {
		const image = specs.find(c => c?.name === status?.name)?.image;
		const digest = digestOf(status?.imageID);
		if (typeof image !== 'string' || !digest || tagOf(image) === undefined) continue;
		found.push([image, digest]);
	}
	return found;
});

/**
 * What a version's images break: `images` are its template's, `pods` its pods (each checked against its own
 * spec, so a rollout's old and new tags are not compared). Empty when nothing does.
 */
export function imageWarnings(images: readonly string[], pods: readonly KObject[]): string[] {
	const warnings: string[] = [];
	for (const image of new Set(images)) {
		const tag = tagOf(image);
		if (tag === '') warnings.push(`${sanitize(image)} has no tag (it means :latest, which moves)`);
		else if (tag === 'latest') warnings.push(`${sanitize(image)} uses :latest, a tag that moves`);
	}
	// Per image of the pods' own specs: the digests its containers run, and on how many pods.
	const runs = new Map<string, {digests: Set<string>; pods: number}>();
	for (const pod of pods) {
		for (const [image, digest] of imagesRun(pod)) {
			let run = runs.get(image);
			if (!run) runs.set(image, (run = {digests: new Set(), pods: 0}));
			run.digests.add(digest);
			run.pods++;
		}
	}
	for (const [image, run] of runs) {
		if (run.digests.size < 2) continue;
		const listed = [...run.digests].sort().slice(0, 3).map(short).join(', ');
		warnings.push(`${sanitize(image)} runs ${run.digests.size} digests on ${run.pods} pods (${listed}${run.digests.size > 3 ? ', …' : ''})`);
	}
	return warnings;
}
