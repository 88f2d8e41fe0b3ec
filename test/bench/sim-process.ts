// A still simulated cluster in its own process, for benchmarks: prints its URL, writes its kubeconfig.
import {writeFileSync} from 'node:fs';
import {startSim} from '../../source/sim/cluster.js';

const [scenario = 'canary', pods = '1000', kubeconfigPath = '/tmp/rollscope-bench.kubeconfig'] = process.argv.slice(2);
const sim = await startSim({scenario, pods: Number(pods), still: true, speed: 20});
writeFileSync(kubeconfigPath, sim.kubeconfig(sim.scenarios[0]!.namespace));
process.stdout.write(`${sim.url}\n`);
process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
