import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretsOf } from '../src/config.js';

describe('loadConfig', () => {
  it('runs with no provider when no <P>_URL is set, with documented defaults', () => {
    const config = loadConfig({});
    expect(config.providers.size).toBe(0);
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      introspection: true,
      logLevel: 'info',
    });
  });

  it('reads a provider with its credentials, timeout and concurrency', () => {
    const config = loadConfig({
      DURABLE_WORKFLOW_URL: 'https://jobs.example.com/base',
      DURABLE_WORKFLOW_TOKEN: 't0ken',
      DURABLE_WORKFLOW_TIMEOUT_MS: '2500',
      DURABLE_WORKFLOW_CONCURRENCY: '4',
      REFOLD_URL: 'https://api.gocobalt.io',
      REFOLD_API_KEY: 'k3y',
    });
    expect(config.providers.get('durable')).toMatchObject({
      timeoutMs: 2500,
      concurrency: 4,
      credentials: { token: 't0ken' },
    });
    expect(config.providers.get('durable')?.url.href).toBe('https://jobs.example.com/base');
    expect(config.providers.get('refold')?.credentials).toEqual({ apiKey: 'k3y' });
    expect(secretsOf(config).sort()).toEqual(['k3y', 't0ken']);
  });

  it('accepts CloudShell username, password and domain instead of a token', () => {
    const config = loadConfig({
      CLOUDSHELL_URL: 'http://cloudshell.local:82',
      CLOUDSHELL_USERNAME: 'admin',
      CLOUDSHELL_PASSWORD: 'pw',
      CLOUDSHELL_DOMAIN: 'Global',
    });
    expect(config.providers.get('cloudshell')?.credentials).toEqual({
      username: 'admin',
      password: 'pw',
      domain: 'Global',
    });
    expect(secretsOf(config)).toEqual(['pw']);
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
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret in a configuration error', () => {
    expect(() =>
      loadConfig({
        SERVERLESS_WORKFLOW_URL: 'https://user:s3cret@host',
        SERVERLESS_WORKFLOW_TOKEN: 'tok',
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});

describe('bad configuration', () => {
  it('reports every bad variable at once, one line each', () => {
    let thrown: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        MAX_TOKENS: '-1',
        DURABLE_WORKFLOW_URL: 'ftp://jobs.example.com',
        LOG_LEVEL: 'loud',
        CORS_ORIGINS: 'http://localhost:5173, localhost:3000',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message.split('\n').sort()).toEqual([
      'CORS_ORIGINS must list origins such as http://localhost:5173, not "localhost:3000".',
      'DURABLE_WORKFLOW_URL must be an http or https URL, not ftp:.',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud".',
      'MAX_TOKENS must be a whole number from 10 to 100000, not "-1".',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL of an OTLP collector, e.g. http://localhost:4318.',
      'PORT must be a whole number from 0 to 65535, not "eighty".',
    ]);
  });

  it('takes an OTLP endpoint as a URL, and none when unset or empty', () => {
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).otlpEndpoint?.href,
    ).toBe('http://127.0.0.1:4318/');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }).otlpEndpoint).toBeUndefined();
    expect(loadConfig({}).otlpEndpoint).toBeUndefined();
  });
});
