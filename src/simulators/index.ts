import { startSimulator } from './server.js';
import type { Simulator, SimulatorDefinition, SimulatorOptions } from './server.js';

export * from './server.js';
export * from './records.js';

/** One running simulator per provider, by provider key. */
export type SimulatorSet = Readonly<Record<string, Simulator>>;

/**
 * Starts each simulator of `definitions` with its default credentials. `options.port` defaults
 * to 0 (ephemeral ports); when given, they listen on port, port+1, ... in order. If one fails to
 * start, the others are closed.
 */
export async function startAllSimulators(
  definitions: readonly SimulatorDefinition[],
  options: SimulatorOptions = {},
): Promise<SimulatorSet> {
  const started = await Promise.allSettled(
    definitions.map((definition, i) =>
      startSimulator(definition, { ...options, port: options.port ? options.port + i : 0 }),
    ),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw failed.reason;
  }
  return Object.fromEntries(
    started.map((result, i) => [
      definitions[i]!.provider,
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
