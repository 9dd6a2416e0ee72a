import { writeFileSync } from 'node:fs';
import { mutations } from './config.js';
import { composeSupergraph } from './graphql/supergraph.js';
import { providers } from './providers.js';

// `npm run supergraph [file]`: composes with the example orders subgraph and writes the
// supergraph SDL (default `supergraph.graphql`). Subgraph URLs: EXECUTIONS_URL, ORDERS_URL.
const target = process.argv[2] ?? 'supergraph.graphql';
const composition = composeSupergraph({
  registry: providers,
  executions: process.env.EXECUTIONS_URL,
  orders: process.env.ORDERS_URL,
  mutations: mutations(process.env).enabled,
});
for (const hint of composition.hints) process.stderr.write(`hint ${hint}\n`);
if (!composition.ok) {
  for (const error of composition.errors) process.stderr.write(`error ${error}\n`);
  process.stderr.write('Composition failed.\n');
  process.exit(1);
}
writeFileSync(target, composition.supergraphSdl);
process.stdout.write(`Wrote ${target} (${composition.hints.length} hints).\n`);
