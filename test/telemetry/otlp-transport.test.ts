import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import {
  retryAfterMs,
  retrying,
  undiciTransport,
  type OtlpHttpSettings,
} from '../../src/telemetry/otlp-transport.js';

const DATA = new Uint8Array([10, 3, 1, 2, 3]);

/** A collector on loopback that answers each export as `answer` says and keeps what it got. */
async function collector(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const received: Array<{ headers: IncomingMessage['headers']; body: Buffer; url: string }> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks), url: request.url! });
      answer(request, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const settingsFor = (url: string, more: Partial<OtlpHttpSettings> = {}): OtlpHttpSettings => ({
  url,
  headers: async () => ({ 'Content-Type': 'application/x-protobuf', 'x-tenant': 'blue' }),
  compression: 'none',
  concurrencyLimit: 2,
  ...more,
});

describe('undiciTransport', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function send(
    answer: (request: IncomingMessage, response: ServerResponse) => void,
    more: Partial<OtlpHttpSettings> = {},
    timeoutMs = 5_000,
  ) {
    const sink = await collector(answer);
    const transport = undiciTransport(settingsFor(sink.url, more), systemClock);
    closers.push(sink.close, () => transport.shutdown());
    return { result: await transport.send(DATA, timeoutMs), received: sink.received };
  }

  it('posts the bytes with the settings’ headers and succeeds on 2xx with the answer', async () => {
    const { result, received } = await send((_, response) => response.end('ok'));
    expect(result).toEqual({ status: 'success', data: Buffer.from('ok') });
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/v1/traces');
    expect(received[0]!.headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'x-tenant': 'blue',
    });
    expect(received[0]!.headers['user-agent']).toMatch(/^OTel-OTLP-Exporter-JavaScript/);
    expect(new Uint8Array(received[0]!.body)).toEqual(DATA);
  });

  it('gzips the body when compression is gzip', async () => {
    const { result, received } = await send((_, response) => response.end(), {
      compression: 'gzip',
    });
    expect(result.status).toBe('success');
    expect(received[0]!.headers['content-encoding']).toBe('gzip');
    expect(new Uint8Array(gunzipSync(received[0]!.body))).toEqual(DATA);
  });

  it('says 429, 502, 503 and 504 may be tried again, after Retry-After', async () => {
    for (const status of [429, 502, 503, 504]) {
      const { result } = await send((_, response) =>
        response.writeHead(status, { 'retry-after': '2' }).end(),
      );
      expect(result).toEqual({ status: 'retryable', retryInMillis: 2000 });
    }
    const { result } = await send((_, response) => response.writeHead(503).end());
    expect(result).toEqual({ status: 'retryable', retryInMillis: undefined });
  });

  it('fails on any other status, with the status and the answer', async () => {
    const { result } = await send((_, response) => response.writeHead(400).end('bad spans'));
    expect(result.status).toBe('failure');
    const { error } = result as Extract<ExportResponse, { status: 'failure' }>;
    expect(error).toMatchObject({ code: 400, data: 'bad spans' });
  });

  it('fails on an answer larger than 4 MiB', async () => {
    const { result } = await send((_, response) => response.end(Buffer.alloc(5 * 1024 * 1024)));
    expect(result.status).toBe('failure');
    expect(String((result as { error: Error }).error.message)).toMatch(/exceeded/);
  });

  it('says a collector that does not answer in time may be tried again', async () => {
    const { result } = await send(() => undefined, {}, 200);
    expect(result).toMatchObject({ status: 'retryable', error: { message: 'Request timed out' } });
  });

  it('says a refused connection may be tried again', async () => {
    const sink = await collector((_, response) => response.end());
    await sink.close();
    const transport = undiciTransport(settingsFor(sink.url), systemClock);
    closers.push(() => transport.shutdown());
    const result = await transport.send(DATA, 2_000);
    expect(result.status).toBe('retryable');
    expect((result as { error?: Error & { code?: string } }).error?.code).toBe('ECONNREFUSED');
  });
});

describe('retrying', () => {
  const START = Date.UTC(2026, 11, 7, 12);
  beforeEach(() => void vi.useFakeTimers({ now: START }));
  afterEach(() => void vi.useRealTimers());

  /** A transport that answers `answers` in turn, and when each attempt was made (ms from start). */
  function scripted(answers: ExportResponse[]) {
    const attempts: Array<{ at: number; timeoutMs: number }> = [];
    const transport: IExporterTransport = {
      send: async (_data, timeoutMs) => {
        attempts.push({ at: Date.now() - START, timeoutMs });
        return answers[Math.min(attempts.length - 1, answers.length - 1)]!;
      },
      shutdown: vi.fn(),
    };
    return { transport, attempts };
  }

  const retryable: ExportResponse = { status: 'retryable' };
  const success: ExportResponse = { status: 'success' };

  it('tries again after 1 s, then 1.5x longer each time, until it succeeds', async () => {
    const { transport, attempts } = scripted([retryable, retryable, retryable, success]);
    // No jitter: random() of 0.5 draws none.
    const result = retrying(transport, systemClock, () => 0.5).send(DATA, 60_000);
    await vi.runAllTimersAsync();
    expect(await result).toEqual(success);
    expect(attempts.map(({ at }) => at)).toEqual([0, 1000, 2500, 4750]);
    expect(attempts[1]!.timeoutMs).toBe(59_000);
  });

  it('waits what Retry-After says instead, and stops after 5 more attempts', async () => {
    const { transport, attempts } = scripted([{ status: 'retryable', retryInMillis: 300 }]);
    const result = retrying(transport, systemClock, () => 0.5).send(DATA, 60_000);
    await vi.runAllTimersAsync();
    expect((await result).status).toBe('retryable');
    expect(attempts.map(({ at }) => at)).toEqual([0, 300, 600, 900, 1200, 1500]);
  });

  it('gives up when the next attempt would be past the deadline', async () => {
    const { transport, attempts } = scripted([retryable]);
    const result = retrying(transport, systemClock, () => 0.5).send(DATA, 3_000);
    await vi.runAllTimersAsync();
    expect((await result).status).toBe('retryable');
    // 1000, then 2500: the third wait (2250 ms more) would end at 4750, past 3000.
    expect(attempts.map(({ at }) => at)).toEqual([0, 1000, 2500]);
  });

  it('does not try a failure again', async () => {
    const failed: ExportResponse = { status: 'failure', error: new Error('400') };
    const { transport, attempts } = scripted([failed]);
    const result = retrying(transport, systemClock).send(DATA, 60_000);
    await vi.runAllTimersAsync();
    expect(await result).toBe(failed);
    expect(attempts).toHaveLength(1);
  });
});

describe('retryAfterMs', () => {
  const NOW = Date.UTC(2026, 11, 7, 12);
  it('reads seconds or an HTTP date', () => {
    expect(retryAfterMs('3', NOW)).toBe(3000);
    expect(retryAfterMs('0', NOW)).toBe(-1);
    expect(retryAfterMs(new Date(NOW + 4000).toUTCString(), NOW)).toBe(4000);
    expect(retryAfterMs(new Date(NOW - 4000).toUTCString(), NOW)).toBe(0);
    expect(retryAfterMs(undefined, NOW)).toBeUndefined();
  });
});
