// `npm run console`: the demo (five simulated providers and the subgraph on :4000, CORS open to
// the console, mutations on) and the console's Vite dev server on http://127.0.0.1:5173, in one
// process. Ctrl-C stops both.
import { fileURLToPath } from 'node:url';
import pretty from 'pino-pretty';
import { createServer } from 'vite';
import { loadConfig } from '../../src/config.js';
import { demoAppOptions, startDemoProviders } from '../../src/demo.js';
import { startApp } from '../../src/http/server.js';
import { settingsOf } from '../../src/providers.js';
import { createLogger } from '../../src/telemetry/logger.js';

const CONSOLE_PORT = 5173;
const origins = [`http://127.0.0.1:${CONSOLE_PORT}`, `http://localhost:${CONSOLE_PORT}`];

const logger = createLogger(
  process.env.LOG_LEVEL ?? 'info',
  process.stdout.isTTY ? pretty({ translateTime: 'HH:MM:ss', ignore: 'pid,hostname' }) : undefined,
);
const demo = await startDemoProviders();
// On loopback unless HOST says otherwise: a development set-up, like the console's dev server.
const cors = [process.env.CORS_ORIGINS, ...origins].filter(Boolean).join(',');
const config = loadConfig(
  { PORT: '4000', HOST: '127.0.0.1', ...process.env, ...demo.env, CORS_ORIGINS: cors },
  settingsOf(demo.registry),
  true,
);
const app = await startApp(config, logger, demoAppOptions(demo));

// The running executions first: they change while you look.
const live = Object.entries(demo.simulators).flatMap(([key, sim]) =>
  [...sim.live].map((id) => `${key}:${id}`),
);
const samples = [...new Set([...live, ...Object.values(demo.sampleIds).flat()])];
process.env.VITE_GRAPHQL_URL = `${app.url}/graphql`;
process.env.VITE_GRAPHQL_HEADERS = JSON.stringify(demo.headers);
process.env.VITE_SAMPLE_IDS = samples.join(',');
const vite = await createServer({
  configFile: fileURLToPath(new URL('vite.config.ts', import.meta.url)),
  server: { port: CONSOLE_PORT },
});
await vite.listen();
const page = `${origins[0]}/?ids=${encodeURIComponent(samples.slice(0, 10).join(','))}`;
logger.info(
  { console: origins[0], graphql: `${app.url}/graphql` },
  `Executions console on ${origins[0]} (the newest executions) against the demo at ${app.url}/graphql. Some by id: ${page}`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([vite.close(), app.close(1000).then(() => demo.close())]).then(() =>
      process.exit(0),
    );
  });
}
