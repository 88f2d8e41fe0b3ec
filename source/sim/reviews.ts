// The review resources: SelfSubjectAccessReview (may I?) and SelfSubjectReview (who am I?), answered from the
// caller's real rights. kubectl posts them as protobuf (`auth can-i`, `auth whoami`); client-node as JSON.
import {authorize, authorizePath, type Account, type User} from './auth.js';
import {badRequest} from './errors.js';

export const reviewKinds: ReadonlySet<string> = new Set(['SelfSubjectAccessReview', 'SelfSubjectReview']);

/** The answer to a review posted by `user`; `body` as received, JSON or Kubernetes protobuf. */
export function answerReview(kind: string, apiVersion: string, user: User, accounts: readonly Account[], body: Buffer, contentType: string): unknown {
	const meta = {kind, apiVersion, metadata: {creationTimestamp: null}};
	if (kind === 'SelfSubjectReview') return {...meta, status: {userInfo: {username: user.name, groups: user.groups}}};
	const spec = /protobuf/.test(contentType) ? accessSpecFromProtobuf(body) : accessSpecFromJson(body);
	const decision = spec.resourceAttributes
		? authorize(accounts, user, {
				verb: spec.resourceAttributes.verb ?? '',
				group: spec.resourceAttributes.group ?? '',
				resource: spec.resourceAttributes.resource ?? '',
				subresource: spec.resourceAttributes.subresource || undefined,
				namespace: spec.resourceAttributes.namespace || undefined,
				name: spec.resourceAttributes.name || undefined,
			})
		: spec.nonResourceAttributes
			? authorizePath(user, spec.nonResourceAttributes.verb ?? '', spec.nonResourceAttributes.path ?? '')
			: undefined;
	if (!decision) throw badRequest('SelfSubjectAccessReview: exactly one of spec.resourceAttributes and spec.nonResourceAttributes must be set');
	return {...meta, spec, status: decision.allowed ? {allowed: true, reason: decision.reason} : {allowed: false, reason: decision.reason}};
}

type Attributes = Record<string, string | undefined>;
type AccessSpec = {resourceAttributes?: Attributes; nonResourceAttributes?: Attributes};

function accessSpecFromJson(body: Buffer): AccessSpec {
	let parsed: any;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch (error) {
		throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
	}
	const spec = parsed?.spec ?? {};
	const strings = (o: unknown): Attributes | undefined =>
		o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string')) : undefined;
	const out: AccessSpec = {};
	const resource = strings(spec.resourceAttributes);
	const nonResource = strings(spec.nonResourceAttributes);
	if (resource) out.resourceAttributes = resource;
	if (nonResource) out.nonResourceAttributes = nonResource;
	return out;
}

// Field numbers of k8s.io/api/authorization/v1 generated.proto.
const resourceFields = ['', 'namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
const nonResourceFields = ['', 'path', 'verb'];

/** `k8s\0` + runtime.Unknown{2: raw} where raw is SelfSubjectAccessReview{2: spec{1: resourceAttributes, 2: nonResourceAttributes}}. */
function accessSpecFromProtobuf(body: Buffer): AccessSpec {
	if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw badRequest('the protobuf body lacks the k8s magic prefix');
	const raw = fields(body.subarray(4)).get(2)?.[0];
	const spec = raw && fields(raw).get(2)?.[0];
	if (!spec) throw badRequest('the protobuf body holds no SelfSubjectAccessReview spec');
	const attributes = (message: Buffer | undefined, names: string[]) => {
		if (!message) return undefined;
		const out: Attributes = {};
		for (const [n, values] of fields(message)) if (names[n]) out[names[n]!] = values[0]!.toString('utf8');
		return out;
	};
	const parts = fields(spec);
	const out: AccessSpec = {};
	const resource = attributes(parts.get(1)?.[0], resourceFields);
	const nonResource = attributes(parts.get(2)?.[0], nonResourceFields);
	if (resource) out.resourceAttributes = resource;
	if (nonResource) out.nonResourceAttributes = nonResource;
	return out;
}

/** The length-delimited fields of one protobuf message by number (varints and fixed fields skipped). */
function fields(message: Buffer): Map<number, Buffer[]> {
	const out = new Map<number, Buffer[]>();
	let at = 0;
	const varint = (): number => {
		let value = 0;
		for (let shift = 0; ; shift += 7) {
			if (at >= message.length || shift > 49) throw badRequest('the protobuf body is truncated');
			const byte = message[at++]!;
			value += (byte & 0x7f) * 2 ** shift;
			if (byte < 0x80) return value;
		}
	};
	while (at < message.length) {
		const key = varint();
		const wire = key % 8;
		const n = Math.floor(key / 8);
		if (wire === 0) varint();
		else if (wire === 1) at += 8;
		else if (wire === 5) at += 4;
		else if (wire === 2) {
			const length = varint();
			if (at + length > message.length) throw badRequest('the protobuf body is truncated');
			const list = out.get(n) ?? [];
			list.push(message.subarray(at, at + length));
			out.set(n, list);
			at += length;
		} else throw badRequest(`the protobuf body has an unknown wire type ${wire}`);
	}
	return out;
}
