import { providers, type Provider } from '../providers.js';
import { startSimulator } from './server.js';
import type { Simulator, SimulatorDefinition, SimulatorOptions } from './server.js';

export * from './server.js';
export * from './records.js';

/** One running simulator per provider, by provider key. */
export type SimulatorSet = Readonly<Record<string, Simulator>>;

/**
 * Starts the simulator of every provider of `registry` with its default credentials.
 * `options.port` defaults to 0 (ephemeral ports); when given, the providers listen on port,
 * port+1, ... in registry order. If one fails to start, the others are closed.
 */
export async function startAllSimulators(
  options: SimulatorOptions = {},
  registry: readonly Provider[] = providers,
): Promise<SimulatorSet> {
  const started = await Promise.allSettled(
    registry.map(({ simulator }, i) =>
      startSimulator(simulator, { ...options, port: options.port ? options.port + i : 0 }),
    ),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw failed.reason;
  }
  return Object.fromEntries(
    started.map((result, i) => [
      registry[i]!.datasource.key,
      (result as PromiseFulfilledResult<Simulator>).value,
    ]),
  );
}

/** The running simulator of `definition` in `sims`, with its provider's own members. */
export function simulatorOf<X extends object>(
  sims: SimulatorSet,
  definition: SimulatorDefinition<X>,
): Simulator & X {
  const simulator = sims[definition.provider];
  if (!simulator) throw new Error(`No ${definition.provider} simulator is running.`);
  // startSimulator copied the definition's extension onto the simulator it started.
  return simulator as Simulator & X;
}

/** Closes every simulator of `sims`; resolves when all are closed. */
export async function closeAll(sims: SimulatorSet): Promise<void> {
  await Promise.all(Object.values(sims).map((sim) => sim.close()));
}
