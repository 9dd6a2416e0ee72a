// How a plain client reaches each provider simulator: the GET for one execution, with the
// provider's documented auth. Used by the fan-out floors in run.ts and by baseline.ts.
export const KEYS = ['cloudshell', 'durable', 'refold', 'payment', 'serverless'] as const;
export type Key = (typeof KEYS)[number];

/** A simulator's URL and credentials, as bench/simulators.ts reports them. */
export type Upstreams = Record<string, Record<string, string>>;

/** The path and headers of the GET a plain client makes for one execution. */
export function upstreamCall(key: Key, nativeId: string, upstream: Record<string, string>) {
  const base = new URL(upstream.url!).pathname.replace(/\/$/, '');
  const id = encodeURIComponent(nativeId);
  const bearer = { authorization: `Bearer ${upstream.token}` };
  switch (key) {
    case 'cloudshell':
      return {
        path: `${base}/api/v2/executions/${id}`,
        headers: { authorization: `Basic ${upstream.token}` },
      };
    case 'durable':
      return { path: `${base}/api/v1/executions/${id}`, headers: bearer };
    case 'refold':
      return {
        path: `${base}/api/v2/public/execution/${id}`,
        headers: { 'x-api-key': upstream.apiKey!, linked_account_id: 'demo-customer' },
      };
    case 'payment':
      return { path: `${base}/v1/executions/${id}`, headers: bearer };
    case 'serverless':
      return { path: `${base}/workflows/v1/execution/${id}`, headers: bearer };
  }
}
