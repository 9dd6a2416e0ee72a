import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadConfig,
  mutations,
  secretsOf,
  type ProviderSettings,
} from '../src/config.js';
import { providers } from '../src/providers.js';

/** Every provider's settings, as the service passes them. */
const settings = providers.map(({ datasource }) => datasource);

describe('loadConfig', () => {
  it('runs with no provider when no <P>_URL is set, with documented defaults', () => {
    const config = loadConfig({}, settings);
    expect(config.providers.size).toBe(0);
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      introspection: true,
      logLevel: 'info',
    });
  });

  it('reads a provider with its credentials, timeout and concurrency', () => {
    const config = loadConfig(
      {
        DURABLE_WORKFLOW_URL: 'https://jobs.example.com/base',
        DURABLE_WORKFLOW_TOKEN: 't0ken',
        DURABLE_WORKFLOW_TIMEOUT_MS: '2500',
        DURABLE_WORKFLOW_CONCURRENCY: '4',
        REFOLD_URL: 'https://api.gocobalt.io',
        REFOLD_API_KEY: 'k3y',
      },
      settings,
    );
    expect(config.providers.get('durable')).toMatchObject({
      timeoutMs: 2500,
      concurrency: 4,
      credentials: { token: 't0ken' },
    });
    expect(config.providers.get('durable')?.url.href).toBe('https://jobs.example.com/base');
    expect(config.providers.get('refold')?.credentials).toEqual({ apiKey: 'k3y' });
    expect(secretsOf(config, settings).sort()).toEqual(['k3y', 't0ken']);
  });

  it('accepts CloudShell username, password and domain instead of a token', () => {
    const config = loadConfig(
      {
        CLOUDSHELL_URL: 'http://cloudshell.local:82',
        CLOUDSHELL_USERNAME: 'admin',
        CLOUDSHELL_PASSWORD: 'pw',
        CLOUDSHELL_DOMAIN: 'Global',
      },
      settings,
    );
    expect(config.providers.get('cloudshell')?.credentials).toEqual({
      username: 'admin',
      password: 'pw',
      domain: 'Global',
    });
    expect(secretsOf(config, settings)).toEqual(['pw']);
  });

  it.each([
    [{ PAYMENT_WORKFLOW_URL: 'https://pay.example.com' }, 'PAYMENT_WORKFLOW_TOKEN is not set'],
    [
      { PAYMENT_WORKFLOW_URL: 'not a url', PAYMENT_WORKFLOW_TOKEN: 't' },
      'PAYMENT_WORKFLOW_URL is not a URL',
    ],
    [{ PAYMENT_WORKFLOW_URL: 'ftp://pay', PAYMENT_WORKFLOW_TOKEN: 't' }, 'http or https'],
    [
      { PAYMENT_WORKFLOW_URL: 'https://u:p@pay', PAYMENT_WORKFLOW_TOKEN: 't' },
      'must not carry credentials',
    ],
    [{ CLOUDSHELL_URL: 'http://cs', CLOUDSHELL_USERNAME: 'admin' }, 'CLOUDSHELL_TOKEN, or all of'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535'],
    [{ REFOLD_URL: 'http://r', REFOLD_API_KEY: 'k', REFOLD_TIMEOUT_MS: '0' }, 'REFOLD_TIMEOUT_MS'],
    [{ INTROSPECTION: 'maybe' }, 'INTROSPECTION must be true or false'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
  ])('stops on bad configuration %j with one clear line', (env, message) => {
    expect(() => loadConfig(env, settings)).toThrow(ConfigError);
    expect(() => loadConfig(env, settings)).toThrow(message);
  });

  it('never echoes a secret in a configuration error', () => {
    expect(() =>
      loadConfig(
        {
          SERVERLESS_WORKFLOW_URL: 'https://user:s3cret@host',
          SERVERLESS_WORKFLOW_TOKEN: 'tok',
        },
        settings,
      ),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});

describe('bad configuration', () => {
  it('reports every bad variable at once, one line each', () => {
    expect(
      refusal(() =>
        loadConfig(
          {
            PORT: 'eighty',
            MAX_TOKENS: '-1',
            DURABLE_WORKFLOW_URL: 'ftp://jobs.example.com',
            LOG_LEVEL: 'loud',
            CORS_ORIGINS: 'http://localhost:5173, localhost:3000',
            OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
          },
          settings,
        ),
      ),
    ).toEqual([
      'CORS_ORIGINS must list origins such as http://localhost:5173, not "localhost:3000".',
      'DURABLE_WORKFLOW_URL must be an http or https URL, not ftp:.',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud".',
      'MAX_TOKENS must be a whole number from 10 to 100000, not "-1".',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL of an OTLP collector, e.g. http://localhost:4318.',
      'PORT must be a whole number from 0 to 65535, not "eighty".',
    ]);
  });

  it('takes the standard OTEL_TRACES_SAMPLER names and a ratio from 0 to 1, and refuses others', () => {
    expect(loadConfig({}, settings).tracesSampler).toEqual({
      name: 'parentbased_always_on',
      ratio: 1,
    });
    expect(
      loadConfig(
        { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.01' },
        settings,
      ).tracesSampler,
    ).toEqual({ name: 'parentbased_traceidratio', ratio: 0.01 });
    expect(
      refusal(() =>
        loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_SAMPLER_ARG: '2' }, settings),
      ),
    ).toEqual([
      'OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio, not "sometimes".',
      'OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, not "2".',
    ]);
  });

  it('takes an OTLP endpoint as a URL, and none when unset or empty', () => {
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, settings).otlpEndpoint
        ?.href,
    ).toBe('http://127.0.0.1:4318/');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }, settings).otlpEndpoint).toBeUndefined();
    expect(loadConfig({}, settings).otlpEndpoint).toBeUndefined();
  });
});

describe('several bad variables', () => {
  it('are reported together, provider variables among them, each in its own line', () => {
    // REFOLD_API_KEY is unset too, but credentials are checked only once REFOLD_URL is good.
    expect(
      refusal(() =>
        loadConfig(
          {
            PORT: '-1',
            CACHE_MAX_MB: '0',
            MUTATIONS: 'sometimes',
            REDIS_URL: 'http://cache:6379',
            REFOLD_URL: 'https://api.gocobalt.io?key=1',
            REFOLD_TIMEOUT_MS: 'soon',
            REFOLD_RETRIES: '11',
            PAYMENT_WORKFLOW_URL: 'https://pay.example.com',
          },
          settings,
        ),
      ),
    ).toEqual([
      'CACHE_MAX_MB must be a whole number from 1 to 65536, not "0".',
      'MUTATIONS must be true or false, not "sometimes".',
      'PAYMENT_WORKFLOW_URL is set but PAYMENT_WORKFLOW_TOKEN is not set.',
      'PORT must be a whole number from 0 to 65535, not "-1".',
      'REDIS_URL must be a redis:// or rediss:// URL, not http:.',
      'REFOLD_RETRIES must be a whole number from 0 to 10, not "11".',
      'REFOLD_TIMEOUT_MS must be a whole number from 1 to 600000, not "soon".',
      'REFOLD_URL must not carry credentials, a query or a fragment: put credentials in the REFOLD_* variables.',
    ]);
  });

  it('of a provider without <P>_URL are not read, as it is not configured', () => {
    const config = loadConfig({ REFOLD_TIMEOUT_MS: 'soon', REFOLD_API_KEY: '' }, settings);
    expect(config.providers.has('refold')).toBe(false);
  });
});

describe('the provider list', () => {
  /** A provider as configuration sees it: no datasource needed. */
  const ledger: ProviderSettings = {
    key: 'ledger',
    name: 'LEDGER',
    env: 'LEDGER',
    credentials: [
      { name: 'token', env: 'TOKEN' },
      { name: 'tenant', env: 'TENANT', secret: false },
    ],
    checkCredentials: (credentials) => (credentials.token ? undefined : 'LEDGER_TOKEN is not set'),
  };

  it('is what loadConfig reads, and Config keeps no registry of its own', () => {
    const env = {
      LEDGER_URL: ' https://ledger.example.com ',
      LEDGER_TOKEN: 'l3dger',
      LEDGER_TENANT: 'acme',
      LEDGER_CONCURRENCY: '8',
      REFOLD_URL: 'https://api.gocobalt.io',
      REFOLD_API_KEY: 'k3y',
    };
    const config = loadConfig(env, [ledger]);
    expect(config).not.toHaveProperty('registry');
    expect([...config.providers.keys()]).toEqual(['ledger']);
    expect(config.providers.get('ledger')).toEqual({
      url: new URL('https://ledger.example.com'),
      timeoutMs: 10_000,
      concurrency: 8,
      retries: 2,
      breakerThreshold: 5,
      breakerCooldownMs: 10_000,
      credentials: { token: 'l3dger', tenant: 'acme' },
    });
    expect([...loadConfig(env, [ledger, ...settings]).providers.keys()].sort()).toEqual([
      'ledger',
      'refold',
    ]);
    expect(() => loadConfig({ LEDGER_URL: 'https://ledger.example.com' }, [ledger])).toThrow(
      'LEDGER_URL is set but LEDGER_TOKEN is not set.',
    );
  });

  it('is where secretsOf finds the credentials that are secret', () => {
    const config = loadConfig(
      {
        LEDGER_URL: 'https://ledger.example.com',
        LEDGER_TOKEN: 'l3dger',
        LEDGER_TENANT: 'acme',
        ROUTER_SECRET: 'r0uter',
        REDIS_URL: 'redis://:p%40ss@127.0.0.1:6379/0',
      },
      [ledger],
    );
    expect(secretsOf(config, [ledger])).toEqual(['r0uter', 'p%40ss', 'p@ss', 'l3dger']);
    // A provider left out of the list has none of its credentials redacted.
    expect(secretsOf(config, settings)).toEqual(['r0uter', 'p%40ss', 'p@ss']);
  });
});

describe('mutations', () => {
  it('throws a ConfigError of its own for a bad MUTATIONS, outside loadConfig too', () => {
    expect(() => mutations({ MUTATIONS: 'sometimes' })).toThrow(ConfigError);
    expect(() => mutations({ MUTATIONS: 'sometimes' })).toThrow(
      'MUTATIONS must be true or false, not "sometimes".',
    );
    expect(mutations({ MUTATIONS: 'TRUE' })).toEqual({ enabled: true, reason: 'MUTATIONS=TRUE' });
    expect(mutations({}, true).enabled).toBe(true);
    expect(mutations({ ROUTER_SECRET: 's' }).enabled).toBe(true);
    expect(mutations({}).enabled).toBe(false);
  });
});

/** The lines of the `ConfigError` that `load` throws, sorted; fails when it throws none. */
function refusal(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n').sort();
  }
  throw new Error('the configuration was accepted');
}
