import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

/** The example gateway configuration an operator would start Hive Gateway with. */
const GATEWAY_CONFIG = fileURLToPath(
  new URL('../../examples/hive-gateway/gateway.config.ts', import.meta.url),
);

// The package's own `hive-gateway` bin, run on this process's Node (the project's Node 22).
const require = createRequire(import.meta.url);
const BIN = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist/bin.js');

/** A real Hive Gateway process on a free loopback port, serving a supergraph file. */
export interface HiveGateway {
  /** `http://127.0.0.1:<port>/graphql`. */
  url: string;
  /** Everything the gateway wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; removes the supergraph file. Idempotent. */
  stop(): Promise<void>;
}

export interface HiveGatewayOptions {
  /** The composed supergraph SDL; written to a temporary file that the gateway serves. */
  supergraphSdl: string;
  /** Default GATEWAY_CONFIG. */
  configPath?: string;
  /** Environment for the gateway beyond PATH (e.g. EXECUTIONS_ROUTER_SECRET). */
  env?: Record<string, string>;
  /** Default 30000. How long the gateway may take to answer `/readiness`. */
  startTimeoutMs?: number;
}

export async function startHiveGateway(options: HiveGatewayOptions): Promise<HiveGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'hive-gateway-'));
  const supergraph = join(dir, 'supergraph.graphql');
  await writeFile(supergraph, options.supergraphSdl);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      BIN,
      'supergraph',
      supergraph,
      '--config-path',
      options.configPath ?? GATEWAY_CONFIG,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => void (output += chunk));
  }
  const exited = once(child, 'exit');
  // A test process that dies without its afterAll leaves no gateway behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    })());

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Hive Gateway exited during start-up:\n${output}`);
    }
    const ready = await fetch(`${base}/readiness`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Hive Gateway was not ready within the start timeout:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `${base}/graphql`, output: () => output, stop };
}
