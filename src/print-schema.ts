import { writeFileSync } from 'node:fs';
import { printSchema } from './graphql/schema.js';

// `npm run schema:print [file]`: the subgraph SDL on stdout, or into `file`.
const target = process.argv[2];
const sdl = printSchema();
if (target) writeFileSync(target, sdl + '\n');
else process.stdout.write(sdl + '\n');
