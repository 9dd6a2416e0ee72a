import type { Abort } from '../upstream/abort.js';
import type { Upstream } from '../upstream/http.js';

/** What a datasource needs to know of the GraphQL request it serves. */
export interface RequestScope {
  /** An incoming request header by lower-case name. */
  header(name: string): string | undefined;
  /** Aborted when the request that wants the call goes away or, for a fetcher, at its deadline. */
  abort: Abort;
  /** The GraphQL request's id, for logs. */
  requestId: string;
}

/** Fetches one execution by its provider-native id; rejects with an `ApiError`. */
export type Fetcher<Raw> = (nativeId: string, scope: RequestScope) => Promise<Raw>;

export interface CredentialSetting {
  /** Key in `credentials`, e.g. `token`. */
  name: string;
  /** Environment variable suffix after `<P>_`, e.g. `TOKEN` for `CLOUDSHELL_TOKEN`. */
  env: string;
  /** Default true: the value is redacted from logs and never echoed. */
  secret?: boolean;
}

/**
 * One upstream provider: everything the rest of the service needs to know about it. A provider
 * is added by writing one of these (in `src/datasources/`) and listing it in `src/providers.ts`.
 */
export interface ProviderDefinition<Raw extends object = object> {
  /** Global id prefix, e.g. `cloudshell` in `cloudshell:1DEB…`. */
  key: string;
  /** The `ExecutionProvider` enum value, also the provider's name in errors. */
  name: string;
  /** The GraphQL type its executions resolve to. */
  typename: string;
  /** Environment variable prefix, e.g. `CLOUDSHELL` for `CLOUDSHELL_URL`. */
  env: string;
  credentials: readonly CredentialSetting[];
  /** A problem with the configured credentials, in one line, or undefined when usable. */
  checkCredentials(credentials: Readonly<Record<string, string>>): string | undefined;
  /** Builds the fetcher over a ready upstream pool. */
  connect(upstream: Upstream, credentials: Readonly<Record<string, string>>): Fetcher<Raw>;
}

export function defineProvider<Raw extends object>(
  definition: ProviderDefinition<Raw>,
): ProviderDefinition<Raw> {
  return definition;
}

/** Checks that a provider has a single bearer-style credential. */
export function requireCredential(name: string, env: string) {
  return (credentials: Readonly<Record<string, string>>): string | undefined =>
    credentials[name] ? undefined : `${env} is not set`;
}
