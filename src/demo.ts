import { exampleQuery, exampleSearch, exampleSteps, exampleSubscription } from './http/graphiql.js';
import { stateOf } from './executions/model.js';
import type { AppOptions } from './http/server.js';
import { providers, type RegisteredProvider } from './providers.js';
import {
  closeAll,
  startAllSimulators,
  type SimulatorDefinition,
  type SimulatorOptions,
  type SimulatorSet,
} from './simulators/index.js';

/**
 * What the demo's GraphiQL opens with: a sample id of every provider, a second tab that watches
 * the first live execution, and their headers.
 */
export function demoAppOptions(demo: DemoProviders): AppOptions {
  const live = demo.registry
    .map(({ datasource: { key } }) => ({ key, id: [...(demo.simulators[key]?.live ?? [])][0] }))
    .find(({ id }) => id !== undefined);
  // A failed execution of a provider that keeps steps: where it failed shows.
  const failed = demo.registry
    .filter(({ datasource }) => datasource.steps?.connect)
    .flatMap(({ datasource: { key }, type }) =>
      (demo.simulators[key]?.seeded ?? [])
        .filter(({ status }) => stateOf(type.states, status) === 'FAILED')
        .map(({ id }) => `${key}:${id}`),
    )[0];
  return {
    registry: demo.registry,
    graphiql: {
      query: exampleQuery(
        demo.registry,
        Object.values(demo.sampleIds).map((ids) => ids[0]!),
      ),
      search: exampleSearch(),
      steps: failed && exampleSteps(failed),
      subscription: live && exampleSubscription(`${live.key}:${live.id}`),
      headers: demo.headers,
    },
  };
}

export interface DemoProviders {
  /** The providers simulated. */
  registry: readonly RegisteredProvider[];
  /** Their running simulators, by provider key. */
  simulators: SimulatorSet;
  /** Environment variables that point the subgraph at the simulators. */
  env: Record<string, string>;
  /** A few global ids per provider, one per status first. */
  sampleIds: Record<string, string[]>;
  /** Request headers the demo queries need. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a simulator of every provider of `registry` on loopback, seeded with sample executions. */
export async function startDemoProviders(
  registry: readonly RegisteredProvider[] = providers,
): Promise<DemoProviders> {
  // The live executions move a step every 5 s from the first time they are read: something to
  // watch, however long after start-up someone looks.
  const simulators = await startSimulators(
    { host: '127.0.0.1', stepMs: 5000, liveFromFirstRead: true },
    registry,
  );
  const sampleIds: Record<string, string[]> = {};
  for (const { datasource } of registry) {
    const { key } = datasource;
    sampleIds[key] = simulators[key]!.seeded.slice(0, 3).map(({ id }) => `${key}:${id}`);
  }
  return {
    registry,
    simulators,
    env: simulatorEnv(simulators, registry),
    sampleIds,
    headers: requestHeadersOf(Object.values(simulators).map(({ definition }) => definition)),
    close: () => closeAll(simulators),
  };
}

/**
 * Starts the simulator of every provider of `registry` (loading each: test and demo code).
 * `options.port` defaults to 0 (ephemeral ports); when given, the providers listen on port,
 * port+1, ... in registry order.
 */
export async function startSimulators(
  options: SimulatorOptions = {},
  registry: readonly RegisteredProvider[] = providers,
): Promise<SimulatorSet> {
  return startAllSimulators(
    await Promise.all(registry.map(({ simulator }) => simulator())),
    options,
  );
}

/** The request headers the simulators' seeded executions need, e.g. a customer id. */
export async function demoHeaders(
  registry: readonly RegisteredProvider[] = providers,
): Promise<Record<string, string>> {
  return requestHeadersOf(await Promise.all(registry.map(({ simulator }) => simulator())));
}

function requestHeadersOf(definitions: readonly SimulatorDefinition[]): Record<string, string> {
  return Object.assign({}, ...definitions.map(({ requestHeaders }) => requestHeaders ?? {}));
}

/** The `<P>_*` variables that configure every provider against its running simulator. */
export function simulatorEnv(
  simulators: SimulatorSet,
  registry: readonly RegisteredProvider[] = providers,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { datasource } of registry) {
    const running = simulators[datasource.key];
    if (!running) continue;
    env[`${datasource.env}_URL`] = running.url;
    const configured = running.definition.clientCredentials ?? Object.keys(running.credentials);
    for (const setting of datasource.credentials) {
      const value = running.credentials[setting.name];
      if (value && configured.includes(setting.name)) {
        env[`${datasource.env}_${setting.env}`] = value;
      }
    }
  }
  return env;
}
