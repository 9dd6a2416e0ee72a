import type { ExecutionStepResolvers } from '../__generated__/resolvers-types.js';
import { stateOf } from '../executions/model.js';
import { secondsBetween, toDateTime } from '../time.js';

/** A step's fields, from its provider's `StepModel` (docs/steps.md). */
export const ExecutionStep: ExecutionStepResolvers = {
  name: ({ model, raw }) => model.name(raw),
  state: ({ model, raw }) => stateOf(model.states, model.status(raw)),
  providerStatus: ({ model, raw }) => model.status(raw) ?? null,
  startedAt: ({ model, raw }) => toDateTime(model.startedAt(raw)),
  endedAt: ({ model, raw }) => toDateTime(model.endedAt?.(raw)),
  durationSeconds: ({ model, raw }) =>
    model.durationSeconds
      ? model.durationSeconds(raw)
      : secondsBetween(model.startedAt(raw), model.endedAt?.(raw)),
  attempts: ({ model, raw }) => model.attempts?.(raw) ?? null,
  error: ({ model, raw }) => model.error?.(raw) ?? null,
};
