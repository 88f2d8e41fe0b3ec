// `npm run bench`: prints figures for the speed goals. Benchmarks assert nothing.
import {benchAllNamespaces} from './all-namespaces.js';
import {benchHistory} from './history.js';
import {benchMetrics} from './metrics.js';
import {benchSideBySide} from './side-by-side.js';
import {benchList, benchWatchFanout} from './sim.js';
import {benchView} from './view.js';

const benches: Array<[string, () => Promise<string[]>]> = [
	['sim: list throughput', benchList],
	['sim: watch fan-out', benchWatchFanout],
	['view: 1,000 pods', benchView],
	['metrics: 20 versions, 1,000 pods', benchMetrics],
	['all namespaces: a few hundred releases', benchAllNamespaces],
	['history: 1,000 pods', benchHistory],
	['side-by-side: rollscope and kubectl get pods -w, 1,000 and 5,000 pods', benchSideBySide],
];

const only = process.argv[2];
for (const [name, run] of benches) {
	if (only && !name.includes(only)) continue;
	process.stdout.write(`${name}\n`);
	for (const line of await run()) process.stdout.write(`  ${line}\n`);
}
process.exit(0);
