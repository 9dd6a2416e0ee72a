import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorEnv, startSimulators } from '../src/demo.js';
import { closeAll } from '../src/simulators/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface DemoLine {
  msg: string;
  graphql: string;
  sampleIds: Record<string, string[]>;
  headers: Record<string, string>;
}

let child: ChildProcess;
let demo: DemoLine;

// The environment without any provider configuration of the machine running the tests.
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/_(URL|TOKEN|API_KEY|PASSWORD)$/.test(name)),
);

/** Starts `node dist/main.js` and resolves with it and its first log line that has `field`. */
async function start(
  env: Record<string, string | undefined>,
  field: string,
  nodeArgs: string[] = [],
) {
  const process_ = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: ROOT,
    // As in production: NODE_ENV=test (vitest's) changes Apollo Server's behaviour.
    env: { ...BASE_ENV, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: process_.stdout! })) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (field in entry) return { process: process_, entry };
  }
  throw new Error(`dist/main.js ended without logging ${field}`);
}

beforeAll(async () => {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  // No <P>_URL in the environment: the demo starts its own simulated providers.
  const started = await start({}, 'sampleIds');
  child = started.process;
  demo = started.entry as unknown as DemoLine;
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start without configuration', () => {
  it('logs that it is the demo, with the GraphQL address, sample ids and the Refold header', () => {
    expect(demo.msg).toContain('Demo mode');
    expect(demo.graphql).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(Object.keys(demo.sampleIds)).toEqual([
      'cloudshell',
      'durable',
      'refold',
      'payment',
      'serverless',
    ]);
    expect(demo.headers).toEqual({ 'x-refold-linked-account-id': 'demo-customer' });
  });

  it('answers one query over two ids of each provider with all five types', async () => {
    const ids = Object.values(demo.sampleIds).flatMap((list) => list.slice(0, 2));
    const response = await fetch(demo.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...demo.headers },
      body: JSON.stringify({
        query: `query ($ids: [ID!]!) {
          executions(ids: $ids) {
            __typename id state startedAt
            ... on CloudShellExecution { stopLink { method } }
            ... on PaymentWorkflowExecution { events { eventType } }
          }
        }`,
        variables: { ids },
      }),
    });
    const body = (await response.json()) as {
      data: {
        executions: Array<{
          __typename: string;
          id: string;
          state: string;
          stopLink?: { method: string } | null;
          events?: Array<{ eventType: string }>;
        }>;
      };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data.executions.map((e) => e.id)).toEqual(ids);
    expect(new Set(body.data.executions.map((e) => e.__typename))).toEqual(
      new Set([
        'CloudShellExecution',
        'DurableWorkflowExecution',
        'RefoldExecution',
        'PaymentWorkflowExecution',
        'ServerlessWorkflowExecution',
      ]),
    );
    const [pending] = body.data.executions;
    expect(pending).toMatchObject({ state: 'PENDING', stopLink: { method: 'DELETE' } });
    const payment = body.data.executions.find((e) => e.__typename === 'PaymentWorkflowExecution');
    expect(payment?.events?.length).toBeGreaterThan(0);
  });

  it('exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});

describe('the modules a start loads', () => {
  /** Every module `node dist/main.js` resolved until it listened and answered one query. */
  async function modulesLoaded(env: Record<string, string>): Promise<string[]> {
    const log = join(mkdtempSync(join(tmpdir(), 'modules-')), 'resolved.log');
    // A module hook in the process's own thread: every module resolved, ESM and CommonJS.
    const hook = `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ resolve(specifier, context, next) {
  const resolved = next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
  return resolved;
} });`;
    const { process: server, entry } = await start(env, 'graphql', [
      `--import=data:text/javascript,${encodeURIComponent(hook)}`,
    ]);
    try {
      const response = await fetch(String(entry.graphql), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ execution(id: "durable:wf_root_1") { id } }' }),
      });
      expect(response.status).toBe(200);
    } finally {
      server.kill('SIGKILL');
    }
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  }
  const simulatorModules = (urls: string[]) =>
    urls.filter((url) => url.includes('/dist/simulators/'));

  it('loads no simulator module when providers are configured', async () => {
    const sims = await startSimulators();
    try {
      const loaded = await modulesLoaded(simulatorEnv(sims));
      // The hook saw the app, its registry and its demo-free start.
      expect(loaded.some((url) => url.endsWith('/dist/providers.js'))).toBe(true);
      expect(loaded.some((url) => url.endsWith('/dist/http/server.js'))).toBe(true);
      expect(simulatorModules(loaded)).toEqual([]);
      expect(loaded.some((url) => url.endsWith('/dist/demo.js'))).toBe(false);
    } finally {
      await closeAll(sims);
    }
  }, 30_000);

  it('loads the simulators for the demo, when none is configured', async () => {
    const loaded = await modulesLoaded({});
    expect(simulatorModules(loaded)).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/dist\/simulators\/server\.js$/)]),
    );
  }, 30_000);
});

describe('shutdown', () => {
  it('lets a slow query finish on SIGTERM, then exits 0', async () => {
    const sims = await startSimulators();
    try {
      sims.durable.latencyMs = 1_500;
      const { process: server, entry } = await start(simulatorEnv(sims), 'graphql');
      const exited = once(server, 'exit');
      const answer = fetch(String(entry.graphql), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ execution(id: "durable:wf_root_1") { id state } }' }),
      }).then((response) => response.json());
      await expect.poll(() => sims.durable.requests.length).toBe(1);
      server.kill('SIGTERM');
      expect(await answer).toEqual({
        data: { execution: { id: 'durable:wf_root_1', state: 'RUNNING' } },
      });
      const [code] = await exited;
      expect(code).toBe(0);
      expect(sims.durable.requests[0]?.aborted).toBe(false);
    } finally {
      await closeAll(sims);
    }
  }, 30_000);
});

describe('exit on SIGTERM, whatever standard output does', () => {
  const ENV = { SHUTDOWN_GRACE_MS: '2000', LOG_LEVEL: 'debug' };
  const QUERY = JSON.stringify({ query: '{ execution(id: "durable:wf_root_1") { id } }' });

  async function ask(graphql: string, times: number) {
    for (let i = 0; i < times; i++) {
      const response = await fetch(graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: QUERY,
      });
      expect(response.status).toBe(200);
    }
  }

  /** SIGTERM (after `before`), and the exit code, failing if it takes longer than the grace. */
  async function terminate(server: ChildProcess, before: () => void = () => undefined) {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    before();
    const late = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('still running 5 s after SIGTERM')), 5_000).unref(),
    );
    try {
      const [code] = await Promise.race([exited, late]);
      return code;
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }

  it('exits when the pipe closes as SIGTERM arrives', async () => {
    const { process: server, entry } = await start(ENV, 'sampleIds');
    await ask(String(entry.graphql), 5);
    expect(await terminate(server, () => server.stdout!.destroy())).toBe(0);
  }, 20_000);

  it('exits when the pipe closed long before SIGTERM', async () => {
    const { process: server, entry } = await start(ENV, 'sampleIds');
    server.stdout!.destroy();
    // Log lines keep coming with nobody to read them.
    await ask(String(entry.graphql), 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await terminate(server)).toBe(0);
  }, 20_000);

  it('answers and exits while nobody reads a full pipe', async () => {
    // Nobody reads after the line `start` waits for; 1500 requests log far more
    // than a pipe holds (64 KiB).
    const { process: server, entry } = await start(ENV, 'sampleIds');
    server.stdout!.pause();
    await ask(String(entry.graphql), 1500);
    expect(await terminate(server)).toBe(0);
  }, 60_000);
});
