// How a plain client reaches each provider simulator: the GET for one execution, with the
// provider's documented auth, as each datasource builds it. Used by the fan-out floors in
// run.ts and by baseline.ts.
import { demoHeaders } from '../src/demo.js';
import { providers } from '../src/providers.js';

const DEMO_HEADERS = await demoHeaders();

export const KEYS: readonly string[] = providers.map(({ datasource }) => datasource.key);

/** A simulator's URL and credentials, as bench/simulators.ts reports them. */
export type Upstreams = Record<string, Record<string, string>>;

const HEADERS = DEMO_HEADERS;

/** The path and headers of the GET a plain client makes for one execution. */
export function upstreamCall(key: string, nativeId: string, upstream: Record<string, string>) {
  const provider = providers.find(({ datasource }) => datasource.key === key);
  if (!provider) throw new Error(`No provider "${key}"`);
  const base = new URL(upstream.url!).pathname.replace(/\/$/, '');
  const { path, headers } = provider.datasource.executionRequest(
    nativeId,
    upstream,
    (name) => HEADERS[name],
  );
  return { path: base + path, headers };
}
