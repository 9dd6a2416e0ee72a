/** Executions `bench-0` … per provider, for fan-out queries. */
export const BENCH_IDS_PER_PROVIDER = 20;
