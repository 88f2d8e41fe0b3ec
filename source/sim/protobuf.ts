// Protobuf on the wire, as much as the sim needs: a reader that decodes a message through a field table
// into the JSON object the server handles (unknown fields skipped, malformed input refused), and a writer.
// Kubernetes bodies are the magic `k8s\0` and a runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw,
// 3 contentEncoding, 4 contentType} whose raw bytes are the object's own message.

/** What a field holds, as its JSON form: scalars, a nested message, or a list or string-keyed map of either. */
export type FieldKind = Scalar | MessageType | {list: Scalar | MessageType} | {map: Scalar | MessageType};

/**
 * - `time`: metav1.Time {1 seconds, 2 nanos}, written as RFC 3339.
 * - `quantity`: resource.Quantity {1 string}.
 * - `intOrString`: intstr.IntOrString {1 type (0 int, 1 string), 2 intVal, 3 strVal}.
 * - `bytes`: base64 in JSON, as Go's encoding/json writes []byte.
 */
export type Scalar = 'string' | 'bytes' | 'int32' | 'int64' | 'bool' | 'time' | 'quantity' | 'intOrString';

/**
 * One field: its JSON name and kind. Go writes every non-pointer field, zero or not, and encoding/json then
 * leaves zero ones out (`omitempty`), so a zero scalar is dropped unless `keep` says the Go field is a pointer
 * (replicas: 0, automountServiceAccountToken: false mean something). `inline` merges a message's fields
 * into the parent, as Go's embedded structs (Probe's ProbeHandler, Volume's VolumeSource).
 */
export type Field = {name: string; kind: FieldKind; keep?: boolean; inline?: boolean};

export type MessageType = {readonly message: string; readonly fields: ReadonlyMap<number, Field>};

type FieldSpec = [name: string, kind: FieldKind, flag?: 'keep' | 'inline'];

/** A message type from its generated.proto field numbers. */
export function message(name: string, fields: Record<number, FieldSpec>): MessageType {
	return {
		message: name,
		fields: new Map(Object.entries(fields).map(([n, [fieldName, kind, flag]]) => [Number(n), {name: fieldName, kind, keep: flag === 'keep', inline: flag === 'inline'}])),
	};
}

export const list = (kind: Scalar | MessageType) => ({list: kind});
export const map = (kind: Scalar | MessageType) => ({map: kind});

/** A body that is not what it claims to be; the message says where. */
export class ProtobufError extends Error {}

const wireTypeNames = ['varint', '64-bit', 'length-delimited', 'start group', 'end group', '32-bit'];

export class ProtobufReader {
	private pos = 0;

	constructor(
		private readonly buf: Uint8Array,
		private readonly where: string,
	) {}

	get done(): boolean {
		return this.pos >= this.buf.length;
	}

	fail(message: string): never {
		throw new ProtobufError(`${message} at ${this.where} (byte ${this.pos})`);
	}

	varint(): bigint {
		let value = 0n;
		for (let shift = 0n; shift < 70n; shift += 7n) {
			if (this.pos >= this.buf.length) this.fail('a varint runs past the end of its message');
			const b = this.buf[this.pos++]!;
			value |= BigInt(b & 0x7f) << shift;
			if ((b & 0x80) === 0) return BigInt.asUintN(64, value);
		}
		return this.fail('a varint is longer than 10 bytes');
	}

	bytes(): Uint8Array {
		const length = this.varint();
		if (length > BigInt(this.buf.length - this.pos)) this.fail(`a length-delimited field of ${length} bytes runs past the end of its message`);
		const out = this.buf.subarray(this.pos, this.pos + Number(length));
		this.pos += Number(length);
		return out;
	}

	/** The next field's number and wire type. */
	key(): {field: number; wireType: number} {
		const key = this.varint();
		const field = Number(key >> 3n);
		const wireType = Number(key & 7n);
		if (field === 0 || key >> 3n > 0x1fffffffn) this.fail(`field number ${key >> 3n} is not valid`);
		return {field, wireType};
	}

	/** Pass over a field this reader does not know. */
	skip(wireType: number): void {
		switch (wireType) {
			case 0:
				this.varint();
				return;
			case 1:
				this.advance(8);
				return;
			case 2:
				this.bytes();
				return;
			case 5:
				this.advance(4);
				return;
			default:
				this.fail(`wire type ${wireType} (${wireTypeNames[wireType] ?? 'unknown'}) is not used by Kubernetes objects`);
		}
	}

	private advance(n: number): void {
		if (this.pos + n > this.buf.length) this.fail(`a ${n * 8}-bit field runs past the end of its message`);
		this.pos += n;
	}
}

const utf8 = new TextDecoder('utf-8');

function int64(v: bigint, r: ProtobufReader): number {
	const n = BigInt.asIntN(64, v);
	if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) r.fail(`the integer ${n} is too large for JSON`);
	return Number(n);
}

const isMessage = (k: FieldKind): k is MessageType => typeof k === 'object' && 'fields' in k;

/** The wire type a value of this kind is written with (numbers and bools as varints, the rest length-delimited). */
const wireTypeOf = (k: Scalar | MessageType) => (k === 'int32' || k === 'int64' || k === 'bool' ? 0 : 2);

function scalarOrMessage(r: ProtobufReader, wireType: number, kind: Scalar | MessageType, where: string): unknown {
	const expected = wireTypeOf(kind);
	if (wireType !== expected) r.fail(`${where} should be ${wireTypeNames[expected]} but is ${wireTypeNames[wireType] ?? `wire type ${wireType}`}`);
	if (isMessage(kind)) return decodeMessage(r.bytes(), kind, where);
	switch (kind) {
		case 'int32':
			return Number(BigInt.asIntN(32, r.varint()));
		case 'int64':
			return int64(r.varint(), r);
		case 'bool':
			return r.varint() !== 0n;
		case 'string':
			return utf8.decode(r.bytes());
		case 'bytes':
			return Buffer.from(r.bytes()).toString('base64');
		case 'quantity':
			return decodeMessage(r.bytes(), quantity, where).string ?? '';
		case 'time': {
			const t = decodeMessage(r.bytes(), time, where) as {seconds?: number; nanos?: number};
			if (!t.seconds && !t.nanos) return undefined;
			const ms = (t.seconds ?? 0) * 1000;
			if (!Number.isFinite(new Date(ms).getTime())) r.fail(`${where} is not a representable time`);
			return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
		}
		case 'intOrString': {
			const v = decodeMessage(r.bytes(), intOrString, where) as {type?: number; intVal?: number; strVal?: string};
			return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
		}
	}
}

const isZero = (v: unknown) => v === undefined || v === '' || v === 0 || v === false;

/** Decode one message through its field table into a plain object. */
export function decodeMessage(bytes: Uint8Array, type: MessageType, where: string = type.message): Record<string, any> {
	const r = new ProtobufReader(bytes, where);
	const out: Record<string, any> = {};
	while (!r.done) {
		const {field: number, wireType} = r.key();
		const field = type.fields.get(number);
		if (!field) {
			r.skip(wireType);
			continue;
		}
		const path = `${where}.${field.name}`;
		const kind = field.kind;
		if (typeof kind === 'object' && 'list' in kind) {
			const items: unknown[] = (out[field.name] ??= []);
			const item = kind.list;
			// Numbers and bools may come packed: one length-delimited run of varints.
			if (wireType === 2 && wireTypeOf(item) === 0) {
				const packed = new ProtobufReader(r.bytes(), path);
				while (!packed.done) items.push(scalarOrMessage(packed, 0, item, `${path}[${items.length}]`));
			} else {
				items.push(scalarOrMessage(r, wireType, item, `${path}[${items.length}]`));
			}
		} else if (typeof kind === 'object' && 'map' in kind) {
			if (wireType !== 2) r.fail(`${path} should be length-delimited map entries`);
			const entry = new ProtobufReader(r.bytes(), path);
			let key = '';
			let value: unknown;
			while (!entry.done) {
				const e = entry.key();
				if (e.field === 1) key = scalarOrMessage(entry, e.wireType, 'string', `${path} key`) as string;
				else if (e.field === 2) value = scalarOrMessage(entry, e.wireType, kind.map, `${path}[${JSON.stringify(key)}]`);
				else entry.skip(e.wireType);
			}
			// Defined, not assigned: a key such as "__proto__" is data, as JSON.parse makes it.
			Object.defineProperty((out[field.name] ??= {}), key, {value: value ?? zeroOf(kind.map), enumerable: true, writable: true, configurable: true});
		} else if (field.inline) {
			Object.assign(out, scalarOrMessage(r, wireType, kind, path));
		} else {
			const value = scalarOrMessage(r, wireType, kind, path);
			if (!field.keep && !isMessage(kind) && isZero(value)) delete out[field.name];
			else if (value !== undefined) out[field.name] = value;
		}
	}
	return out;
}

function zeroOf(kind: Scalar | MessageType): unknown {
	if (isMessage(kind)) return {};
	if (kind === 'int32' || kind === 'int64' || kind === 'intOrString') return 0;
	if (kind === 'bool') return false;
	return '';
}

const quantity = message('Quantity', {1: ['string', 'string']});
const time = message('Time', {1: ['seconds', 'int64'], 2: ['nanos', 'int32']});
const intOrString = message('IntOrString', {1: ['type', 'int64'], 2: ['intVal', 'int32'], 3: ['strVal', 'string']});

/** The media type of Kubernetes protobuf bodies. */
export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

const magic = [0x6b, 0x38, 0x73, 0x00];

/** Take a Kubernetes protobuf body apart: the type it says it holds and the object's own message. */
export function unwrapKubernetesProtobuf(body: Uint8Array): {apiVersion: string; kind: string; raw: Uint8Array} {
	if (body.length < 4 || magic.some((b, i) => body[i] !== b)) throw new ProtobufError('the body does not start with the 4-byte magic "k8s\\0" of Kubernetes protobuf');
	const r = new ProtobufReader(body.subarray(4), 'runtime.Unknown');
	let apiVersion = '';
	let kind = '';
	let raw: Uint8Array = new Uint8Array();
	let contentEncoding = '';
	let contentType = '';
	while (!r.done) {
		const {field, wireType} = r.key();
		if (field >= 1 && field <= 4 && wireType !== 2) r.fail(`field ${field} should be length-delimited`);
		if (field === 1) {
			const typeMeta = decodeMessage(r.bytes(), typeMetaType, 'runtime.Unknown.typeMeta');
			apiVersion = typeMeta.apiVersion ?? '';
			kind = typeMeta.kind ?? '';
		} else if (field === 2) raw = r.bytes();
		else if (field === 3) contentEncoding = utf8.decode(r.bytes());
		else if (field === 4) contentType = utf8.decode(r.bytes());
		else r.skip(wireType);
	}
	if (contentEncoding) throw new ProtobufError(`the object is encoded with "${contentEncoding}", which the server does not read`);
	if (contentType && contentType !== protobufMediaType) throw new ProtobufError(`the object inside is of type "${contentType}", not ${protobufMediaType}`);
	if (!apiVersion || !kind) throw new ProtobufError('the body does not say the apiVersion and kind of the object it holds');
	return {apiVersion, kind, raw};
}

const typeMetaType = message('TypeMeta', {1: ['apiVersion', 'string'], 2: ['kind', 'string']});

/** Protobuf output: fields appended in the order written. */
export class ProtobufWriter {
	private readonly chunks: Uint8Array[] = [];

	private varint(value: number | bigint): void {
		let v = BigInt.asUintN(64, BigInt(value));
		const out: number[] = [];
		while (v > 0x7fn) {
			out.push(Number(v & 0x7fn) | 0x80);
			v >>= 7n;
		}
		out.push(Number(v));
		this.chunks.push(Uint8Array.from(out));
	}

	private tag(field: number, wireType: number): void {
		this.varint((field << 3) | wireType);
	}

	bytes(field: number, value: Uint8Array): this {
		this.tag(field, 2);
		this.varint(value.length);
		this.chunks.push(value);
		return this;
	}

	string(field: number, value: string): this {
		return this.bytes(field, new TextEncoder().encode(value));
	}

	bool(field: number, value: boolean): this {
		this.tag(field, 0);
		this.varint(value ? 1 : 0);
		return this;
	}

	message(field: number, write: (w: ProtobufWriter) => void): this {
		const inner = new ProtobufWriter();
		write(inner);
		return this.bytes(field, inner.finish());
	}

	finish(): Uint8Array {
		return Buffer.concat(this.chunks);
	}
}
