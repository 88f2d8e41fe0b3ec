// Shell completion: the candidates `rollscope __complete` answers (commands, flags, values from the
// kubeconfig and the cluster), and the bash script completing a release name against the sim through the
// real CLI, as bash does at <TAB>.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmodSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {candidates, completionScript, filesDirective} from '../../source/commands/completion.js';
import {startTestSim, type TestSim} from '../helpers/sim.js';
import {repoRoot} from '../helpers/tmux.js';

describe('the candidates', () => {
	test('commands, flags of the command, fixed values and file names', async () => {
		assert.deepEqual(await candidates(['--kubeconfig', '/nonexistent', 'ga']), ['gate']);
		assert.deepEqual(await candidates(['gate', '--ab']), ['--abort-on-fail']);
		assert.deepEqual(await candidates(['--once', '--ab']), [], '--abort-on-fail is the gate\'s');
		assert.ok((await candidates(['sim', '--'])).includes('--kubeconfig-out'));
		assert.ok(!(await candidates(['sim', '--'])).includes('--prometheus'));
		assert.deepEqual(await candidates(['-o', '']), ['text', 'json']);
		assert.deepEqual(await candidates(['record', 'deploy/x', '-o', '']), [filesDirective], 'record -o is the file to write');
		assert.deepEqual(await candidates(['--router', 'g']), ['gateway-api']);
		assert.deepEqual(await candidates(['--router=s']), ['--router=smi']);
		assert.deepEqual(await candidates(['--metrics', 'li']), ['linkerd']);
		assert.deepEqual(await candidates(['demo', '--scenario', 'argo-']), ['argo-canary', 'argo-bluegreen']);
		assert.deepEqual(await candidates(['completion', '']), ['bash', 'zsh', 'fish']);
		assert.deepEqual(await candidates(['--kubeconfig', '']), [filesDirective]);
		assert.deepEqual(await candidates(['--config=']), [filesDirective]);
		assert.deepEqual(await candidates(['completion', 'bash', '']), [], 'nothing after the shell');
	});

	describe('from the kubeconfig and the cluster', () => {
		let t: TestSim;
		before(async () => {
			t = await startTestSim({scenario: 'canary'});
		});
		after(async () => {
			await t.stop();
		});

		test('--context from the kubeconfig, -n from the cluster, targets in the namespace typed', async () => {
			const kc = ['--kubeconfig', t.kubeconfigPath];
			assert.deepEqual(await candidates([...kc, '--context', 'rollscope-sim-v']), ['rollscope-sim-viewer']);
			assert.deepEqual(await candidates([...kc, '-n', 'can']), ['canary']);
			const targets = await candidates([...kc, '-n', 'canary', '']);
			assert.ok(targets.includes('deploy/checkout'), targets.join(' '));
			assert.ok(targets.includes('gate'), 'the commands too');
			assert.deepEqual(await candidates([...kc, '-n', 'canary', 'deploy/che']), ['deploy/checkout', 'deploy/checkout-canary'].filter(x => targets.includes(x)));
			assert.ok((await candidates(['gate', ...kc, '--namespace=canary', 'che'])).includes('checkout'), 'a bare name matches too');
			assert.deepEqual(await candidates([...kc, '-n', 'nowhere', 'deploy/']), []);
		});

		test('quiet and empty when the cluster cannot be reached', async () => {
			assert.deepEqual(await candidates(['--kubeconfig', '/nonexistent/kubeconfig', 'deploy/']), []);
			assert.deepEqual(await candidates(['--kubeconfig', '/nonexistent/kubeconfig', '-n', '']), []);
		});

		test('bash: complete -p names the function; <TAB> after -n canary deploy/che completes the release', async () => {
			// `rollscope` on the PATH runs this checkout.
			const wrapper = join(t.dir, 'rollscope');
			writeFileSync(wrapper, `#!/bin/sh\ncd ${JSON.stringify(repoRoot)} && exec ${JSON.stringify(process.execPath)} --import tsx source/cli.tsx "$@"\n`);
			chmodSync(wrapper, 0o755);
			const tab = (line: string) => [
				`COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}`,
				// As bash splits the line for COMP_WORDS: at blanks and at "=".
				`read -r -a COMP_WORDS <<< ${JSON.stringify(line.replace(/=/g, ' = '))}; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")`,
				'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
				'COMPREPLY=(); _rollscope_complete',
				'printf "reply:%s\\n" "${COMPREPLY[@]}"',
			].join('\n');
			const script = [
				'set -e',
				'source <(rollscope completion bash)',
				'complete -p rollscope',
				tab('rollscope -n canary deploy/che'),
				'echo ---',
				tab('rollscope --context=rollscope-sim-v'),
				'echo ---',
				tab('rollscope gate --ab'),
			].join('\n');
			const out = await new Promise<string>((resolve, reject) => {
				execFile('bash', ['--norc', '--noprofile', '-c', script], {env: {...process.env, PATH: `${t.dir}:${process.env.PATH}`, KUBECONFIG: t.kubeconfigPath}, timeout: 60_000}, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
			});
			const [first, second, third] = out.split('---\n');
			assert.match(first!, /^complete -F _rollscope_complete rollscope/m);
			assert.match(first!, /^reply:deploy\/checkout$/m);
			assert.doesNotMatch(first!, /^reply:(?!deploy\/che)/m, 'only what starts with deploy/che');
			assert.equal(second, 'reply:rollscope-sim-viewer\n');
			assert.equal(third, 'reply:--abort-on-fail\n');
		});
	});
});

test('a script for bash, zsh and fish; none for other shells', () => {
	for (const shell of ['bash', 'zsh', 'fish']) assert.match(completionScript(shell)!, /__complete/);
	assert.equal(completionScript('tcsh'), undefined);
});
