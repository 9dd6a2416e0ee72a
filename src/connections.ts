import pLimit, { type LimitFunction } from 'p-limit';
import type { Config } from './config.js';
import type { Fetcher, ProviderDefinition } from './provider.js';
import { providers } from './providers.js';
import { Upstream } from './upstream/http.js';
import { CallPolicy } from './upstream/policy.js';

/** A configured provider, ready to call: shared by every request of the process. */
export interface ConnectedProvider {
  definition: ProviderDefinition;
  fetch: Fetcher<object>;
  /** Caps this provider's calls in flight across all requests. */
  limit: LimitFunction;
  policy: CallPolicy;
  upstream: Upstream;
}

/** Opens one keep-alive pool per configured provider. */
export function connectProviders(config: Config): Map<string, ConnectedProvider> {
  const connected = new Map<string, ConnectedProvider>();
  for (const definition of providers) {
    const settings = config.providers.get(definition.key);
    if (!settings) continue;
    const upstream = new Upstream({
      provider: definition.name,
      baseUrl: settings.url,
      timeoutMs: settings.timeoutMs,
      connections: settings.concurrency,
    });
    const policy = new CallPolicy({
      provider: definition.name,
      timeoutMs: settings.timeoutMs,
      retries: settings.retries,
      breakerThreshold: settings.breakerThreshold,
      breakerCooldownMs: settings.breakerCooldownMs,
    });
    const fetcher = definition.connect(upstream, settings.credentials);
    connected.set(definition.key, {
      definition,
      fetch: (nativeId, scope) =>
        policy.run((signal) => fetcher(nativeId, { header: scope.header, signal }), scope.signal),
      limit: pLimit(settings.concurrency),
      policy,
      upstream,
    });
  }
  return connected;
}

export async function closeProviders(connected: Map<string, ConnectedProvider>): Promise<void> {
  await Promise.all([...connected.values()].map((provider) => provider.upstream.close()));
}
