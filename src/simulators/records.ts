/** When the sample records that `SimulatorDefinition.record` makes started and, if finished, ended. */
export const SAMPLE_START = '2026-11-20T10:00:00.000Z';
export const SAMPLE_END = '2026-11-20T10:00:05.000Z';
