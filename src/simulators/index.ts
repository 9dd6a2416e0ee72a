import { startSimulator } from './server.js';
import type { ProviderKey, Simulator, SimulatorDefinition, SimulatorOptions } from './server.js';
import { cloudShellSimulator } from './cloudshell.js';
import type { CloudShellSimulator } from './cloudshell.js';
import { durableSimulator } from './durable.js';
import { paymentSimulator } from './payment.js';
import { refoldSimulator } from './refold.js';
import type { RefoldSimulator } from './refold.js';
import { serverlessSimulator } from './serverless.js';

export * from './server.js';
export * from './cloudshell.js';
export * from './durable.js';
export * from './refold.js';
export * from './payment.js';
export * from './serverless.js';
export * from './records.js';

/** Every provider's simulator definition, in `ProviderKey` order. */
export const simulatorDefinitions = {
  cloudshell: cloudShellSimulator,
  durable: durableSimulator,
  refold: refoldSimulator,
  payment: paymentSimulator,
  serverless: serverlessSimulator,
} as const satisfies Record<ProviderKey, SimulatorDefinition>;

/** One running simulator per provider. */
export interface SimulatorSet extends Record<ProviderKey, Simulator> {
  cloudshell: CloudShellSimulator;
  refold: RefoldSimulator;
}

/**
 * Starts all five simulators with their default credentials. `options.port` defaults to 0
 * (ephemeral ports); when given, the providers listen on port, port+1, ... in `ProviderKey` order
 * (cloudshell, durable, refold, payment, serverless). If one fails to start, the others are closed.
 */
export async function startAllSimulators(options: SimulatorOptions = {}): Promise<SimulatorSet> {
  const keys = Object.keys(simulatorDefinitions) as ProviderKey[];
  const started = await Promise.allSettled(
    keys.map((key, i) =>
      startSimulator<object>(simulatorDefinitions[key], {
        ...options,
        port: options.port ? options.port + i : 0,
      }),
    ),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw failed.reason;
  }
  const entries = started.map((r, i) => [keys[i], (r as PromiseFulfilledResult<Simulator>).value]);
  return Object.fromEntries(entries) as SimulatorSet;
}

/** Closes every simulator of `sims`; resolves when all are closed. */
export async function closeAll(sims: Partial<Record<ProviderKey, Simulator>>): Promise<void> {
  await Promise.all(Object.values(sims).map((sim) => sim?.close()));
}
