// Kubeconfig files read as kubectl reads them: $KUBECONFIG's list merged first-wins, missing files skipped,
// relative paths beside their file, a token file's newline trimmed; and the sim reached with what they say.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse, stringify} from 'yaml';
import {KubeClient} from '../../source/kube/client.js';
import {kubeconfigFiles, loadKubeconfig} from '../../source/kube/kubeconfig.js';
import {startTestSim, type TestSim} from '../helpers/sim.js';

describe('kubeconfig files', () => {
	let t: TestSim;
	let dir: string;
	let saved: string | undefined;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		dir = mkdtempSync(join(tmpdir(), 'rollscope-kubeconfig-'));
		saved = process.env.KUBECONFIG;
	});
	after(async () => {
		if (saved === undefined) delete process.env.KUBECONFIG;
		else process.env.KUBECONFIG = saved;
		rmSync(dir, {recursive: true, force: true});
		await t.stop();
	});

	test('the files kubectl reads: --kubeconfig, else $KUBECONFIG\'s list, else ~/.kube/config', () => {
		assert.deepEqual(kubeconfigFiles('/x/config', `/a${delimiter}/b`), ['/x/config']);
		assert.deepEqual(kubeconfigFiles(undefined, `/a${delimiter}${delimiter}/b`), ['/a', '/b']);
		assert.match(kubeconfigFiles(undefined, '')[0]!, /\.kube[/\\]config$/);
	});

	test('$KUBECONFIG with two files and a missing one: the first to name a context, cluster or user wins; paths are read beside their file', async () => {
		const sim = parse(t.sim.kubeconfig('canary'));
		const cluster = sim.clusters[0].cluster;
		// The first file: the sim's CA in a file beside it, a token file with a newline, named relatively.
		const first = join(dir, 'first');
		mkdirSync(first);
		writeFileSync(join(first, 'ca.crt'), Buffer.from(cluster['certificate-authority-data'], 'base64'));
		const viewer = t.sim.credentials.accounts.find(a => a.name === 'viewer')!;
		writeFileSync(join(first, 'token'), `${viewer.token}\n`);
		writeFileSync(
			join(first, 'config'),
			stringify({
				apiVersion: 'v1',
				kind: 'Config',
				clusters: [{name: 'sim', cluster: {server: cluster.server, 'certificate-authority': 'ca.crt'}}],
				users: [{name: 'me', user: {'token-file': 'token'}}],
				contexts: [{name: 'work', context: {cluster: 'sim', user: 'me', namespace: 'canary'}}],
				'current-context': 'work',
			}),
		);
		// The second file: the same names pointing elsewhere, its own current context, and a client certificate beside it.
		const second = join(dir, 'second');
		mkdirSync(second);
		const deployer = t.sim.credentials.clientCertificates.deployer!;
		writeFileSync(join(second, 'client.crt'), deployer.cert);
		writeFileSync(join(second, 'client.key'), deployer.key);
		writeFileSync(join(second, 'ca.crt'), Buffer.from(cluster['certificate-authority-data'], 'base64'));
		writeFileSync(
			join(second, 'config'),
			stringify({
				apiVersion: 'v1',
				kind: 'Config',
				clusters: [{name: 'sim', cluster: {server: 'https://127.0.0.1:1'}}, {name: 'sim-too', cluster: {server: cluster.server, 'certificate-authority': 'ca.crt'}}],
				users: [{name: 'me', user: {token: 'not-this-one'}}, {name: 'cert', user: {'client-certificate': 'client.crt', 'client-key': 'client.key'}}],
				contexts: [{name: 'work', context: {cluster: 'sim-too', user: 'cert'}}, {name: 'deploy', context: {cluster: 'sim-too', user: 'cert', namespace: 'canary'}}],
				'current-context': 'deploy',
			}),
		);
		process.env.KUBECONFIG = [join(dir, 'missing'), join(first, 'config'), join(second, 'config')].join(delimiter);
		const {files} = loadKubeconfig();
		assert.deepEqual(files, [join(first, 'config'), join(second, 'config')]);

		// Run from elsewhere: relative paths are the files' own.
		const cwd = process.cwd();
		process.chdir(tmpdir());
		try {
			const work = KubeClient.load();
			assert.equal(work.context, 'work', 'the first current-context wins');
			assert.equal(work.server, cluster.server, 'the first cluster named sim wins');
			assert.equal(await work.whoami(), 'viewer', 'the token file, its newline trimmed');
			await work.close();
			const deploy = KubeClient.load({context: 'deploy'});
			assert.equal(await deploy.whoami(), 'deployer', 'the client certificate beside the second file');
			await deploy.close();
		} finally {
			process.chdir(cwd);
		}
		assert.throws(() => KubeClient.load({kubeconfig: join(dir, 'nope')}), /^Error: cannot read the kubeconfig: kubeconfig .*nope does not exist$/);
		process.env.KUBECONFIG = [join(dir, 'gone'), join(dir, 'gone-too')].join(delimiter);
		assert.throws(() => KubeClient.load(), /^Error: cannot read the kubeconfig: there is none: .*gone, .*gone-too do not exist \(set KUBECONFIG or --kubeconfig\)$/);
	});

	test('a file that is not YAML, or holds no kubeconfig, is said in one line naming it, whether it names a token file or not', () => {
		const write = (name: string, text: string) => {
			const file = join(dir, name);
			writeFileSync(file, text);
			return file;
		};
		for (const [name, text] of [
			['broken', 'apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: https://127.0.0.1:6443\n'],
			['broken-token-file', 'apiVersion: v1\nusers:\n- name: u\n  user: {token-file: t\n'],
		]) {
			const file = write(name!, text!);
			assert.throws(() => KubeClient.load({kubeconfig: file}), (e: Error) => {
				assert.ok(e.message.startsWith(`cannot read the kubeconfig: ${file}: `), e.message);
				assert.ok(!e.message.includes('\n'));
				return true;
			});
		}
		for (const [name, text] of [['empty', ''], ['comments', '# nothing here yet\n'], ['null', 'null\n']]) {
			assert.throws(() => KubeClient.load({kubeconfig: write(name!, text!)}), /^Error: the kubeconfig has no current context with a cluster server; set one with kubectl config use-context$/, name);
		}
	});

	test('a plain http:// server without insecure-skip-tls-verify is refused before anything is sent', () => {
		const file = join(dir, 'plain');
		writeFileSync(file, stringify({apiVersion: 'v1', kind: 'Config', clusters: [{name: 'c', cluster: {server: 'http://127.0.0.1:8080'}}], users: [{name: 'u', user: {token: 't'}}], contexts: [{name: 'c', context: {cluster: 'c', user: 'u'}}], 'current-context': 'c'}));
		assert.throws(() => KubeClient.load({kubeconfig: file}), /plain HTTP; credentials are only sent over https:\/\//);
	});
});
