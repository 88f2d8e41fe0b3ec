// The sim's secrets: a CA and the serving certificate it signed (127.0.0.1, ::1, localhost), a client CA, each
// user's bearer token, and the deployer's client certificate. Made at start in milliseconds, or kept in the
// state file so that a sim restarted from it is the same cluster to clients holding the old kubeconfig.
import {randomBytes, X509Certificate} from 'node:crypto';
import {simAccounts, type Account} from './auth.js';
import {issueCertificate, type KeyPair} from './certificates.js';

export type SimCredentials = {
	/** What clients trust (the kubeconfig's certificate-authority-data). */
	ca: KeyPair;
	serving: KeyPair;
	/** Signs client certificates: one it signed authenticates its CN as the user and its O as groups. */
	clientCa: KeyPair;
	accounts: Account[];
	/** Client certificates by user name (the deployer's). */
	clientCertificates: Record<string, KeyPair>;
};

const tenYears = 3650;

export function newCredentials(deployerNamespace: string, hostNames: readonly string[] = []): SimCredentials {
	const ca = issueCertificate({commonName: 'rollscope-sim-ca', ca: true, validDays: tenYears});
	const clientCa = issueCertificate({commonName: 'rollscope-sim-client-ca', ca: true, validDays: tenYears});
	const accounts = simAccounts(deployerNamespace, () => randomBytes(24).toString('base64url'));
	const deployer = accounts.find(a => a.name === 'deployer')!;
	return {
		ca,
		serving: issueCertificate({commonName: 'kube-apiserver', usage: 'server', dnsNames: ['localhost', ...hostNames], ipAddresses: ['127.0.0.1', '::1'], validDays: tenYears, issuer: ca}),
		clientCa,
		accounts,
		clientCertificates: {
			deployer: issueCertificate({commonName: deployer.name, organizations: deployer.groups, usage: 'client', validDays: tenYears, issuer: clientCa}),
		},
	};
}

/** Credentials as kept in a state file, checked; throws an Error that says what is wrong. */
export function credentialsFrom(saved: unknown): SimCredentials {
	const c = saved as SimCredentials;
	const pair = (p: unknown, what: string): KeyPair => {
		const kp = p as KeyPair;
		if (!kp || typeof kp.cert !== 'string' || typeof kp.key !== 'string') throw new Error(`the state file's credentials lack ${what}`);
		try {
			new X509Certificate(kp.cert);
		} catch (error) {
			throw new Error(`in the state file's credentials, ${what} is not a certificate (${(error as Error).message})`);
		}
		return kp;
	};
	if (!c || typeof c !== 'object') throw new Error('the state file\'s credentials are not an object');
	if (!Array.isArray(c.accounts) || !c.accounts.every(a => a && typeof a.name === 'string' && typeof a.token === 'string' && Array.isArray(a.groups) && (a.writes === '*' || Array.isArray(a.writes)))) {
		throw new Error('the state file\'s credentials have no valid accounts');
	}
	const clientCertificates: Record<string, KeyPair> = {};
	for (const [name, p] of Object.entries(c.clientCertificates ?? {})) clientCertificates[name] = pair(p, `the client certificate of ${name}`);
	return {ca: pair(c.ca, 'the CA'), serving: pair(c.serving, 'the serving certificate'), clientCa: pair(c.clientCa, 'the client CA'), accounts: c.accounts, clientCertificates};
}
