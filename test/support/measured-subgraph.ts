/**
 * The subgraph alone in a process of its own, for tests that measure its memory: run it with
 * `node --expose-gc --import tsx test/support/measured-subgraph.ts` and an IPC channel, its
 * configuration (the providers' `<P>_URL`, limits) in the environment. Once it listens it sends
 * `{ url }`; to the message `'measure'` it answers with its memory (`Measured`). It exits when
 * its parent disconnects.
 */
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/http/server.js';
import { providers, providerSettings } from '../../src/providers.js';
import { createLogger } from '../../src/telemetry/logger.js';

export interface Measured {
  /** `process.memoryUsage()` after full collections. */
  collected: NodeJS.MemoryUsage;
  /**
   * `process.memoryUsage()` after V8's memory-reducing full collection (its "last resort"): it
   * also gives the system back the pages V8 keeps after a collection for later allocations,
   * which V8 otherwise does by itself some 10 to 30 s after the process goes idle.
   */
  reduced: NodeJS.MemoryUsage;
}

export interface MeasuredMessage {
  url?: string;
  memory?: Measured;
}

const gc = globalThis.gc;
if (!gc || !process.send) {
  throw new Error('Run with --expose-gc and an IPC channel (child_process.fork or stdio "ipc").');
}
const send = (message: MeasuredMessage) => process.send!(message);

const config = loadConfig(process.env, providerSettings);
const app = await startApp(config, createLogger(config.logLevel), { registry: providers });

process.on('message', (message) => {
  if (message !== 'measure') return;
  // Twice: what the first collection's finalizers and weak callbacks release goes in the second.
  gc({ type: 'major', execution: 'sync' });
  gc({ type: 'major', execution: 'sync' });
  const collected = process.memoryUsage();
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  send({ memory: { collected, reduced: process.memoryUsage() } });
});
process.once('disconnect', () => {
  void app.close(0).finally(() => process.exit(0));
});
send({ url: app.url });
