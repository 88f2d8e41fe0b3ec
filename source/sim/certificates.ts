// X.509 certificates made in-process with node:crypto (no openssl): ECDSA P-256 keys and a small DER
// encoder for the v3 certificates Go's crypto/x509, OpenSSL and Node accept for a CA, a server and a client.
import {createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate} from 'node:crypto';
import {isIPv4, isIPv6} from 'node:net';

/** A certificate and its private key, both PEM. */
export type KeyPair = {cert: string; key: string};

export type CertificateRequest = {
	commonName: string;
	/** Subject organisations: a client certificate's groups. */
	organizations?: string[];
	/** A certificate authority (basicConstraints CA:true, keyCertSign). */
	ca?: boolean;
	/** What a leaf certificate is for (extendedKeyUsage). */
	usage?: 'server' | 'client';
	dnsNames?: string[];
	ipAddresses?: string[];
	validDays: number;
	/** The CA that signs it; a CA without one signs itself. */
	issuer?: KeyPair;
};

// --- DER, the few types a certificate needs ---

function tlv(tag: number, content: Buffer): Buffer {
	const n = content.length;
	if (n < 0x80) return Buffer.concat([Buffer.from([tag, n]), content]);
	const length: number[] = [];
	for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) length.unshift(rest % 256);
	return Buffer.concat([Buffer.from([tag, 0x80 | length.length, ...length]), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer) => tlv(0x04, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
/** A BIT STRING holding whole bytes, or a named-bit list whose last `unused` bits are zero. */
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content);

/** A non-negative INTEGER from big-endian bytes, minimally encoded. */
function unsigned(bytes: Buffer): Buffer {
	let start = 0;
	while (start < bytes.length - 1 && bytes[start] === 0) start++;
	const trimmed = bytes.subarray(start);
	return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
	const arcs = dotted.split('.').map(Number);
	const out = [40 * arcs[0]! + arcs[1]!];
	for (const arc of arcs.slice(2)) {
		const base128 = [arc & 0x7f];
		for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) base128.unshift(0x80 | (rest & 0x7f));
		out.push(...base128);
	}
	return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after, as RFC 5280 asks. */
function time(d: Date): Buffer {
	const text = d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
	return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(text.slice(2), 'ascii')) : tlv(0x18, Buffer.from(text, 'ascii'));
}

function ipBytes(ip: string): Buffer {
	if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
	if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
	const [head = '', tail = ''] = ip.split('::');
	const groups = (s: string) => (s ? s.split(':').map(g => parseInt(g, 16)) : []);
	const left = groups(head);
	const right = ip.includes('::') ? groups(tail) : [];
	const all = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
	const out = Buffer.alloc(16);
	all.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
	return out;
}

// --- the certificate ---

const oids = {
	ecPublicKey: '1.2.840.10045.2.1',
	ecdsaWithSha256: '1.2.840.10045.4.3.2',
	commonName: '2.5.4.3',
	organization: '2.5.4.10',
	subjectKeyIdentifier: '2.5.29.14',
	keyUsage: '2.5.29.15',
	subjectAltName: '2.5.29.17',
	basicConstraints: '2.5.29.19',
	authorityKeyIdentifier: '2.5.29.35',
	extKeyUsage: '2.5.29.37',
	serverAuth: '1.3.6.1.5.5.7.3.1',
	clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** The Name: organisations first, then the common name, as Go's pkix.Name orders them. */
function name(commonName: string, organizations: string[] = []): Buffer {
	const rdn = (type: string, value: string) => set(sequence(oid(type), utf8(value)));
	return sequence(...organizations.map(o => rdn(oids.organization, o)), rdn(oids.commonName, commonName));
}

const extension = (id: string, critical: boolean, value: Buffer) => sequence(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** The key identifier of RFC 5280 4.2.1.2 (1): SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: Buffer): Buffer {
	// The SubjectPublicKeyInfo of a P-256 key ends with its 65-byte uncompressed point.
	return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

function pem(label: string, der: Buffer): string {
	const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function der(pemText: string): Buffer {
	return Buffer.from(pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** A new P-256 key and a certificate for it, signed by `issuer` (or by itself). */
export function issueCertificate(request: CertificateRequest): KeyPair {
	const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
	const spki = publicKey.export({type: 'spki', format: 'der'});
	const issuerCert = request.issuer ? new X509Certificate(request.issuer.cert) : undefined;
	if (issuerCert && !issuerCert.ca) throw new Error('the issuer is not a certificate authority');
	const issuerSpki = issuerCert ? issuerCert.publicKey.export({type: 'spki', format: 'der'}) : spki;
	const issuerName = issuerCert ? issuerNameOf(issuerCert) : name(request.commonName, request.organizations);
	const signingKey = request.issuer ? createPrivateKey(request.issuer.key) : privateKey;

	const serial = randomBytes(16);
	serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and no leading zero byte
	const now = Date.now();
	const notBefore = new Date(Math.floor(now / 1000) * 1000 - 60 * 60 * 1000); // an hour of slack for skewed clocks
	const notAfter = new Date(notBefore.getTime() + request.validDays * 24 * 60 * 60 * 1000);

	const extensions: Buffer[] = [];
	if (request.ca) {
		extensions.push(extension(oids.basicConstraints, true, sequence(bool(true))));
		// digitalSignature (bit 0), keyCertSign (5), cRLSign (6): 1000 0110, the last bit unused.
		extensions.push(extension(oids.keyUsage, true, bits(Buffer.from([0x86]), 1)));
	} else {
		extensions.push(extension(oids.basicConstraints, true, sequence()));
		extensions.push(extension(oids.keyUsage, true, bits(Buffer.from([0x80]), 7))); // digitalSignature
		if (request.usage) extensions.push(extension(oids.extKeyUsage, false, sequence(oid(request.usage === 'server' ? oids.serverAuth : oids.clientAuth))));
	}
	const altNames = [
		...(request.dnsNames ?? []).map(d => tlv(0x82, Buffer.from(d, 'ascii'))), // [2] dNSName
		...(request.ipAddresses ?? []).map(ip => tlv(0x87, ipBytes(ip))), // [7] iPAddress
	];
	if (altNames.length > 0) extensions.push(extension(oids.subjectAltName, false, sequence(...altNames)));
	extensions.push(extension(oids.subjectKeyIdentifier, false, octets(keyIdentifier(spki))));
	extensions.push(extension(oids.authorityKeyIdentifier, false, sequence(tlv(0x80, keyIdentifier(issuerSpki))))); // [0] keyIdentifier

	const algorithm = sequence(oid(oids.ecdsaWithSha256));
	const tbs = sequence(
		explicit(0, unsigned(Buffer.from([2]))), // v3
		unsigned(serial),
		algorithm,
		issuerName,
		sequence(time(notBefore), time(notAfter)),
		name(request.commonName, request.organizations),
		spki,
		explicit(3, sequence(...extensions)),
	);
	const signature = sign('sha256', tbs, {key: signingKey, dsaEncoding: 'der'});
	const certificate = sequence(tbs, algorithm, bits(signature));
	return {cert: pem('CERTIFICATE', certificate), key: privateKey.export({type: 'pkcs8', format: 'pem'}) as string};
}

/** The issuer's subject Name exactly as encoded in its certificate (chains match names byte for byte). */
function issuerNameOf(cert: X509Certificate): Buffer {
	const body = der(cert.toString());
	// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version, serial, signature, issuer, validity, subject, ... } ... }
	let at = headerLength(body, 0); // into the certificate
	at += headerLength(body, at); // into tbsCertificate
	for (let field = 0; field < 5; field++) at += elementLength(body, at); // version, serial, signature, issuer, validity
	return body.subarray(at, at + elementLength(body, at));
}

function headerLength(b: Buffer, at: number): number {
	const first = b[at + 1]!;
	return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function elementLength(b: Buffer, at: number): number {
	const first = b[at + 1]!;
	if (first < 0x80) return 2 + first;
	let n = 0;
	for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + b[at + 2 + i]!;
	return 2 + (first & 0x7f) + n;
}
