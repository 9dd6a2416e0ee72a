import { writeFileSync } from 'node:fs';
import { mutations } from './config.js';
import { printSchema } from './graphql/schema.js';
import { providers } from './providers.js';

// `npm run schema:print [file]`: the subgraph SDL on stdout, or into `file`. `Mutation` is in it
// when the environment turns mutations on (ROUTER_SECRET or MUTATIONS=true), as the server's is.
const target = process.argv[2];
const sdl = printSchema(providers, mutations(process.env).enabled);
if (target) writeFileSync(target, sdl + '\n');
else process.stdout.write(sdl + '\n');
