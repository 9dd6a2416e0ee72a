import { loadConfig } from '../src/config.js';
import { demoHeaders, simulatorEnv, startSimulators } from '../src/demo.js';
import { createLogger } from '../src/telemetry/logger.js';
import { providers, providerSettings } from '../src/providers.js';
import { startApp, type App } from '../src/http/server.js';
import { closeAll, type SimulatorOptions, type SimulatorSet } from '../src/simulators/index.js';

export interface GraphQLErrorShape {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface GraphQLBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

export interface Harness {
  sims: SimulatorSet;
  app: App;
  /** Every log line the subgraph wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** POSTs a GraphQL request over real HTTP; the demo's headers (`demoHeaders`) are sent by default. */
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLBody<T> }>;
  /** Every simulator back to its seeded state, with no requests counted, and the cache empty. */
  reset(): void;
  close(): Promise<void>;
}

/** The request headers the demo's seeded executions need (a customer id). */
const DEMO_HEADERS = await demoHeaders();

/** Each provider's simulator definition, by provider key. */
const definitions = new Map(
  await Promise.all(
    providers.map(
      async ({ datasource, simulator }) => [datasource.key, await simulator()] as const,
    ),
  ),
);

/** The five simulators and the subgraph configured against them, all on loopback port 0. */
export async function startHarness(
  env: Record<string, string> = {},
  simulatorOptions: SimulatorOptions = {},
): Promise<Harness> {
  const sims = await startSimulators(simulatorOptions);
  const config = loadConfig(
    { ...simulatorEnv(sims), PORT: '0', HOST: '127.0.0.1', ...env },
    providerSettings,
  );
  const logs: Array<Record<string, unknown>> = [];
  const destination = { write: (line: string) => void logs.push(JSON.parse(line)) };
  const app = await startApp(config, createLogger('debug', destination), { registry: providers });
  return {
    sims,
    app,
    logs,
    async query(query, variables = {}, headers = DEMO_HEADERS) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLBody<any> };
    },
    reset() {
      for (const sim of Object.values(sims)) sim.reset();
      app.cache?.clear();
      logs.length = 0;
    },
    async close() {
      await app.close();
      await closeAll(sims);
    },
  };
}

/** Env that turns retries and the circuit breaker off, for tests of one call's own outcome. */
export const NO_POLICY: Record<string, string> = Object.fromEntries(
  providers.flatMap(({ datasource: { env } }) => [
    [`${env}_RETRIES`, '0'],
    [`${env}_BREAKER_THRESHOLD`, '1000'],
  ]),
);

/** Requests a simulator received for executions (login and other routes left out). */
export function executionRequests(sims: SimulatorSet, key: string) {
  return sims[key]!.requests.filter((request) => request.id !== null);
}

/** A small, valid execution of the provider of id prefix `key`, as its simulator stores it. */
export function minimalRecord(key: string, id: string, status: string): unknown {
  const definition = definitions.get(key);
  if (!definition) throw new Error(`No provider "${key}"`);
  return definition.record(id, status);
}
