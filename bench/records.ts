/** Running executions `bench-0` … per provider, for fan-out queries. */
export const BENCH_IDS_PER_PROVIDER = 20;
/**
 * Finished executions `done-0` … per provider, for the cache rows: enough for 70 fan-outs of 100
 * distinct ids each, so that every measured fan-out of the Redis row misses its process's own tier.
 */
export const DONE_IDS_PER_PROVIDER = 1500;
/** Running executions `watch-0` … per provider, for the watch phase: 100 in all. */
export const WATCH_IDS_PER_PROVIDER = 20;
/** Running executions of each provider that pushes webhooks, for the webhook phase (per burst and per spread). */
export const WEBHOOK_EXECUTIONS = 100;
