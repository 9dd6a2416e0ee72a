import { LINKED_ACCOUNT_HEADER } from './datasources/refold.js';
import { exampleQuery } from './http/graphiql.js';
import type { AppOptions } from './http/server.js';
import { providers } from './providers.js';
import {
  closeAll,
  REFOLD_DEMO_LINKED_ACCOUNT,
  startAllSimulators,
  type ProviderKey,
  type SimulatorSet,
} from './simulators/index.js';

/** What the demo's GraphiQL opens with: a sample id of every provider, and the Refold header. */
export function demoAppOptions(demo: DemoProviders): AppOptions {
  return {
    graphiql: {
      query: exampleQuery(Object.values(demo.sampleIds).map((ids) => ids[0]!)),
      headers: demo.headers,
    },
  };
}

export interface DemoProviders {
  /** Environment variables that point the subgraph at the simulators. */
  env: Record<string, string>;
  /** A few global ids per provider, one per status first. */
  sampleIds: Record<string, string[]>;
  /** Request headers the demo queries need. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the five provider simulators on loopback, seeded with sample executions. */
export async function startDemoProviders(): Promise<DemoProviders> {
  const simulators = await startAllSimulators({ host: '127.0.0.1' });
  const sampleIds: Record<string, string[]> = {};
  for (const provider of providers) {
    const simulator = simulators[provider.key as ProviderKey];
    sampleIds[provider.key] = simulator.seeded.slice(0, 3).map(({ id }) => `${provider.key}:${id}`);
  }
  return {
    env: simulatorEnv(simulators),
    sampleIds,
    headers: { [LINKED_ACCOUNT_HEADER]: REFOLD_DEMO_LINKED_ACCOUNT },
    close: () => closeAll(simulators),
  };
}

/** The `<P>_*` variables that configure every provider against its simulator. */
export function simulatorEnv(simulators: SimulatorSet): Record<string, string> {
  const env: Record<string, string> = {};
  for (const provider of providers) {
    const simulator = simulators[provider.key as ProviderKey];
    env[`${provider.env}_URL`] = simulator.url;
    for (const setting of provider.credentials) {
      const value = simulator.credentials[setting.name];
      // CloudShell logs in with username, password and domain, as most sites do.
      if (value && !(provider.key === 'cloudshell' && setting.name === 'token')) {
        env[`${provider.env}_${setting.env}`] = value;
      }
    }
  }
  return env;
}
