import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadConfig, secretsOf } from '../../src/config.js';
import { demoHeaders, simulatorEnv, startSimulators } from '../../src/demo.js';
import { providers, providerSettings } from '../../src/providers.js';
import { closeAll, type SimulatorSet } from '../../src/simulators/index.js';

const DEMO_HEADERS = await demoHeaders();

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Each provider's name (its `ExecutionProvider` value, as spans have it) by id prefix. */
const NAME = Object.fromEntries(
  providers.map(({ datasource }) => [datasource.key, datasource.name]),
) as Record<string, string>;

// The environment without the machine's own provider or OpenTelemetry configuration.
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/_(URL|TOKEN|API_KEY|PASSWORD)$/.test(name) && !name.startsWith('OTEL_'),
  ),
);

type Value = string | number | boolean | Value[];

/** A span as the OTLP/HTTP JSON encoding sends it, attributes as a plain object. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP's `SpanKind`: 1 internal, 2 server, 3 client. */
  kind: number;
  status: { code?: number };
  scope: string;
  service: Value | undefined;
  attributes: Record<string, Value>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
type OtlpAttributes = Array<{ key: string; value: OtlpValue }>;

function valueOf(value: OtlpValue): Value {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  return (value.arrayValue?.values ?? []).map(valueOf);
}

function attributesOf(list: OtlpAttributes | undefined): Record<string, Value> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

/**
 * Protobuf's wire format, field by field: `[field, wire type, value]`, a varint as a bigint, a
 * length-delimited field as its bytes.
 */
function* wireFields(bytes: Buffer): Generator<[number, number, bigint | Buffer]> {
  let at = 0;
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const [field, wire] = [key >> 3, key & 7];
    if (wire === 0) yield [field, wire, varint()];
    else if (wire === 1) yield [field, wire, bytes.subarray(at, (at += 8))];
    else if (wire === 5) yield [field, wire, bytes.subarray(at, (at += 4))];
    else if (wire === 2) {
      const length = Number(varint());
      yield [field, wire, bytes.subarray(at, (at += length))];
    } else throw new Error(`wire type ${wire} at ${at}`);
  }
}

/** An OTLP `AnyValue`, in OTLP/JSON's form. */
function anyValueOf(bytes: Buffer): OtlpValue {
  for (const [field, , value] of wireFields(bytes)) {
    if (field === 1) return { stringValue: (value as Buffer).toString('utf8') };
    if (field === 2) return { boolValue: value === 1n };
    if (field === 3) return { intValue: String(BigInt.asIntN(64, value as bigint)) };
    if (field === 4) return { doubleValue: (value as Buffer).readDoubleLE(0) };
    if (field === 5) {
      return {
        arrayValue: {
          values: [...wireFields(value as Buffer)].map(([, , v]) => anyValueOf(v as Buffer)),
        },
      };
    }
  }
  return {};
}

/** OTLP's `KeyValue`, in OTLP/JSON's form. */
function keyValueOf(bytes: Buffer): { key: string; value: OtlpValue } {
  let key = '';
  let value: OtlpValue = {};
  for (const [field, , v] of wireFields(bytes)) {
    if (field === 1) key = (v as Buffer).toString('utf8');
    if (field === 2) value = anyValueOf(v as Buffer);
  }
  return { key, value };
}

/**
 * An `ExportTraceServiceRequest` in protobuf, read with the wire format alone (no code of the
 * exporter's), in the OTLP/JSON form of the fields the tests read: ids in hex, names, kinds,
 * statuses, attributes.
 */
function decodeTraceRequest(bytes: Buffer): unknown {
  const hex = (value: bigint | Buffer) => (value as Buffer).toString('hex');
  const text = (value: bigint | Buffer) => (value as Buffer).toString('utf8');
  const fields = (value: bigint | Buffer) => [...wireFields(value as Buffer)];
  return {
    resourceSpans: fields(bytes).map(([, , resourceSpans]) => {
      const parts = fields(resourceSpans);
      return {
        resource: {
          attributes: parts
            .filter(([field]) => field === 1)
            .flatMap(([, , resource]) => fields(resource))
            .filter(([field]) => field === 1)
            .map(([, , pair]) => keyValueOf(pair as Buffer)),
        },
        scopeSpans: parts
          .filter(([field]) => field === 2)
          .map(([, , scopeSpans]) => {
            const scopeParts = fields(scopeSpans);
            const scope = fields(scopeParts.find(([field]) => field === 1)![2]);
            return {
              scope: { name: text(scope.find(([field]) => field === 1)![2]) },
              spans: scopeParts
                .filter(([field]) => field === 2)
                .map(([, , span]) => {
                  const decoded: Record<string, unknown> = { attributes: [] };
                  for (const [field, , value] of fields(span)) {
                    if (field === 1) decoded.traceId = hex(value);
                    if (field === 2) decoded.spanId = hex(value);
                    if (field === 4) decoded.parentSpanId = hex(value);
                    if (field === 5) decoded.name = text(value);
                    if (field === 6) decoded.kind = Number(value);
                    if (field === 9)
                      (decoded.attributes as unknown[]).push(keyValueOf(value as Buffer));
                    if (field === 15) {
                      const code = fields(value).find(([f]) => f === 3);
                      decoded.status = code ? { code: Number(code[2]) } : {};
                    }
                  }
                  return decoded;
                }),
            };
          }),
      };
    }),
  };
}

/**
 * A real OTLP/HTTP trace receiver on loopback: `POST /v1/traces`, protobuf-encoded (the
 * default, read with `decodeTraceRequest`) or JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`).
 * `mode` makes it fail or hang.
 */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const receiver = {
    spans,
    /**
     * Every export's body, events, links and resource attributes included: as sent (JSON), or
     * in its JSON form followed by its bytes as sent (protobuf).
     */
    bodies: [] as string[],
    /** Each export's content type. */
    types: [] as string[],
    exports: 0,
    mode: 'ok' as 'ok' | 'fail' | 'hang',
    url: '',
    server: undefined as unknown as Server,
  };
  receiver.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      receiver.exports += 1;
      if (receiver.mode === 'hang') return;
      if (receiver.mode === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const bytes = Buffer.concat(chunks);
      const type = req.headers['content-type'] ?? '';
      receiver.types.push(type);
      const text =
        type === 'application/x-protobuf'
          ? JSON.stringify(decodeTraceRequest(bytes))
          : bytes.toString('utf8');
      receiver.bodies.push(
        type === 'application/x-protobuf' ? text + bytes.toString('latin1') : text,
      );
      const body = JSON.parse(text) as {
        resourceSpans: Array<{
          resource: { attributes?: OtlpAttributes };
          scopeSpans: Array<{
            scope: { name: string };
            spans: Array<{
              traceId: string;
              spanId: string;
              parentSpanId?: string;
              name: string;
              kind: number;
              status?: { code?: number };
              attributes?: OtlpAttributes;
            }>;
          }>;
        }>;
      };
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service = attributesOf(resource.attributes)['service.name'];
        for (const { scope, spans: list } of scopeSpans) {
          for (const span of list) {
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              status: span.status ?? {},
              scope: scope.name,
              service,
              attributes: attributesOf(span.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  receiver.server.listen(0, '127.0.0.1');
  await once(receiver.server, 'listening');
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  return receiver;
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

interface Subgraph {
  process: ChildProcess;
  graphql: string;
  /** Every log line so far, parsed. */
  logs: Array<Record<string, unknown>>;
}

/** Each `traceparent` of `headers` continues trace `traceId` with a span of its own, flagged `flags`. */
function expectContinued(headers: unknown[], traceId: string, flags: '00' | '01'): void {
  for (const header of headers) {
    expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-${flags}$`));
  }
}

/** Starts `node dist/main.js` with `env` and resolves once it logs its GraphQL address. */
/** Every subgraph started: one a failed test did not stop is killed when the file ends. */
const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

async function start(env: Record<string, string>, nodeArgs: string[] = []): Promise<Subgraph> {
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: ROOT,
    env: { ...BASE_ENV, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const logs: Array<Record<string, unknown>> = [];
  const graphql = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (typeof entry.graphql === 'string') resolve(entry.graphql);
    });
    child.once('exit', () => reject(new Error('dist/main.js ended before it listened')));
  });
  return { process: child, graphql: await graphql, logs };
}

/** SIGTERM, then the exit code and how long the exit took. */
async function terminate(subgraph: Subgraph): Promise<{ code: number | null; ms: number }> {
  const { process: child } = subgraph;
  if (child.exitCode !== null) return { code: child.exitCode, ms: 0 };
  const started = performance.now();
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const late = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = (await exited) as [number | null];
  clearTimeout(late);
  return { code, ms: performance.now() - started };
}

function traceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}

function newTrace() {
  return { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
}

async function post(
  graphql: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: any; errors?: Array<{ extensions?: any }> } }> {
  const response = await fetch(graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...DEMO_HEADERS, ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Requests the fast route answered so far (it skips Apollo Server), from `/metrics`. */
async function fastRouteCount(graphql: string): Promise<number> {
  const text = await (await fetch(graphql.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^graphql_fast_path_requests_total (\d+)/m.exec(text)?.[1]);
}

/** Every request the simulators received, with the provider that received it. */
function upstreamRequests(sims: SimulatorSet) {
  return Object.values(sims).flatMap((sim) =>
    sim.requests.map((request) => ({ provider: sim.provider, ...request })),
  );
}

beforeAll(() => {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}, 120_000);

/** One operation over a WebSocket of its own to `graphql`'s subgraph; resolves with its events once it completes. */
async function operate(
  graphql: string,
  query: string,
  options: { upgradeHeaders?: Record<string, string>; init?: Record<string, string> },
): Promise<unknown[]> {
  const upgradeHeaders = options.upgradeHeaders ?? {};
  class Socket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: upgradeHeaders });
    }
  }
  const client = createClient({
    url: graphql.replace(/^http/, 'ws'),
    webSocketImpl: Socket,
    connectionParams: { ...DEMO_HEADERS, ...options.init },
  });
  const events: unknown[] = [];
  try {
    await new Promise<void>((resolve, reject) =>
      client.subscribe(
        { query },
        { next: (event) => void events.push(event), error: reject, complete: resolve },
      ),
    );
  } finally {
    await client.dispose();
  }
  return events;
}

describe('tracing on', () => {
  let receiver: Receiver;
  let sims: SimulatorSet;
  let subgraph: Subgraph;

  beforeAll(async () => {
    receiver = await startReceiver();
    sims = await startSimulators();
    subgraph = await start({
      ...simulatorEnv(sims),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // Batches go out every 100 ms instead of 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  }, 60_000);

  afterAll(async () => {
    await terminate(subgraph);
    await closeAll(sims);
    receiver.server.close();
  });

  beforeEach(() => {
    for (const sim of Object.values(sims)) sim.reset();
  });

  /** The spans of `traceId` once its request span (kind server) has arrived. */
  async function spansOf(traceId: string): Promise<ReceivedSpan[]> {
    await expect
      .poll(() => receiver.spans.some((span) => span.traceId === traceId && span.kind === 2), {
        timeout: 10_000,
      })
      .toBe(true);
    // The request span ends last: its children were exported with it or before.
    return receiver.spans.filter((span) => span.traceId === traceId);
  }

  function requestSpan(spans: ReceivedSpan[]): ReceivedSpan {
    const servers = spans.filter((span) => span.kind === 2);
    expect(servers).toHaveLength(1);
    return servers[0]!;
  }

  it('continues the caller’s traceparent: one request span, one child per upstream call, and providers receive the trace', async () => {
    const caller = newTrace();
    const ids = [
      'cloudshell:1DEB29BF-22B0-4CF6-B7BE-02173520EB81',
      'durable:wf_child_1b',
      'refold:674d2a10c1f3b2a9e0a10001',
      'payment:8c1f5d2e-4b7a-4e93-9a60-000000000001',
      'serverless:dfq0a1b2c3d4e5f6g7h8',
    ];
    const fastBefore = await fastRouteCount(subgraph.graphql);
    const { status, body } = await post(
      subgraph.graphql,
      `query Traced { executions(ids: ${JSON.stringify(ids)}) { id state ... on DurableWorkflowExecution { parentExecution { id } } } }`,
      { traceparent: traceparent(caller.traceId, caller.spanId), accept: 'application/json' },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.executions[1].parentExecution).toEqual({ id: 'durable:wf_root_1' });
    // Answered by the fast route, which skips Apollo Server.
    expect(await fastRouteCount(subgraph.graphql)).toBe(fastBefore + 1);

    const spans = await spansOf(caller.traceId);
    const request = requestSpan(spans);
    expect(request).toMatchObject({
      parentSpanId: caller.spanId,
      name: 'POST /graphql',
      service: 'executions-subgraph',
      attributes: {
        'http.route': '/graphql',
        'graphql.operation.name': 'Traced',
        'graphql.error.codes': [],
        'executions.upstream_calls': 6,
      },
    });

    // Five executions and the durable one's parent (a second batch): six calls, one span each,
    // and each provider request carries its own span's traceparent.
    const received = upstreamRequests(sims);
    expect(received.filter((r) => r.id !== null)).toHaveLength(6);
    const calls = spans.filter((span) => span.kind === 3);
    expect(calls).toHaveLength(received.length);
    for (const call of calls) {
      expect(call.parentSpanId).toBe(request.spanId);
      expect(call).toMatchObject({
        attributes: {
          'http.request.method': expect.any(String),
          'http.response.status_code': expect.any(Number),
          'executions.upstream.status_class': '2xx',
          'executions.upstream.attempt': 1,
          'executions.cache.hit': false,
        },
      });
    }
    expect(new Set(calls.map((call) => call.attributes['executions.provider']))).toEqual(
      new Set(Object.keys(sims).map((key) => NAME[key])),
    );
    expect(received.map((r) => r.headers.traceparent).sort()).toEqual(
      calls.map((call) => traceparent(caller.traceId, call.spanId)).sort(),
    );
    for (const r of received) {
      const call = calls.find(
        (c) => traceparent(caller.traceId, c.spanId) === r.headers.traceparent,
      );
      expect(call?.attributes['executions.provider']).toBe(NAME[r.provider]);
      expect(call?.attributes['http.request.method']).toBe(r.method);
    }

    // graphql-js's steps have their spans under the request span too (parse and validate: the
    // text is new), the execution's named and described as OpenTelemetry's GraphQL conventions
    // say, literal values masked.
    const steps = spans.filter(
      (span) => isGraphQLStep(span) && span.parentSpanId === request.spanId,
    );
    expect(steps.map((span) => span.name).sort()).toEqual([
      'graphql.parse',
      'graphql.validate',
      'query Traced',
    ]);
    const execution = steps.find((span) => span.name === 'query Traced');
    expect(execution).toMatchObject({
      name: 'query Traced',
      attributes: {
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'Traced',
        'graphql.source': `query Traced { executions(ids: ${JSON.stringify(ids.map(() => '*'))}) { id state ... on DurableWorkflowExecution { parentExecution { id } } } }`,
      },
    });

    // The request's log line carries the trace.
    await expect
      .poll(() =>
        subgraph.logs.find(
          (line) => line.msg === 'graphql request' && line.operationName === 'Traced',
        ),
      )
      .toMatchObject({ trace_id: caller.traceId, span_id: request.spanId });
  });

  it('gives the Apollo Server route the same request span, with its error codes', async () => {
    const caller = newTrace();
    const fastBefore = await fastRouteCount(subgraph.graphql);
    const { status, body } = await post(
      subgraph.graphql,
      'query Missing { execution(id: "payment:missing") { id } }',
      {
        traceparent: traceparent(caller.traceId, caller.spanId),
        // Not an accept the fast route answers: Apollo Server does.
        accept: 'application/graphql-response+json',
      },
    );
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await fastRouteCount(subgraph.graphql)).toBe(fastBefore);
    const spans = await spansOf(caller.traceId);
    const request = requestSpan(spans);
    expect(request).toMatchObject({
      parentSpanId: caller.spanId,
      attributes: { 'graphql.operation.name': 'Missing', 'graphql.error.codes': ['NOT_FOUND'] },
    });
    const calls = spans.filter((span) => span.kind === 3);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      parentSpanId: request.spanId,
      status: { code: 2 },
      attributes: {
        'executions.provider': NAME.payment,
        'http.response.status_code': 404,
        'executions.upstream.status_class': '4xx',
        'error.type': '404',
      },
    });
    expect(upstreamRequests(sims).map((r) => r.headers.traceparent)).toEqual([
      traceparent(caller.traceId, calls[0]!.spanId),
    ]);
  });

  it('numbers the attempts of a retried call', async () => {
    sims.durable.inject({ kind: 'status', status: 503 }, { times: 1 });
    const caller = newTrace();
    const { body } = await post(
      subgraph.graphql,
      'query Retried { execution(id: "durable:wf_queued_3") { id } }',
      { traceparent: traceparent(caller.traceId, caller.spanId) },
    );
    expect(body.errors).toBeUndefined();
    const calls = (await spansOf(caller.traceId)).filter((span) => span.kind === 3);
    expect(
      calls
        .map((call) => [
          call.attributes['executions.upstream.attempt'],
          call.attributes['executions.upstream.status_class'],
          call.attributes['http.request.resend_count'],
        ])
        .sort(),
    ).toEqual([
      [1, '5xx', undefined],
      [2, '2xx', 1],
    ]);
  });

  it('has a span saying so where the cache answers instead of the provider', async () => {
    const query = 'query Cached { execution(id: "durable:wf_report_9") { id state } }';
    const first = newTrace();
    await post(subgraph.graphql, query, { traceparent: traceparent(first.traceId, first.spanId) });
    const second = newTrace();
    const { body } = await post(subgraph.graphql, query, {
      traceparent: traceparent(second.traceId, second.spanId),
    });
    expect(body.data.execution).toEqual({ id: 'durable:wf_report_9', state: 'SUCCEEDED' });
    expect(executionCalls(sims)).toBe(1);

    const fetched = (await spansOf(first.traceId)).filter((span) => span.kind === 3);
    expect(fetched.map((span) => span.attributes['executions.cache.hit'])).toEqual([false]);
    const spans = await spansOf(second.traceId);
    expect(spans.filter((span) => span.kind === 3)).toEqual([]);
    const cached = spans.filter((span) => span.attributes['executions.cache.hit'] === true);
    expect(cached).toMatchObject([
      {
        name: `cache ${NAME.durable}`,
        parentSpanId: requestSpan(spans).spanId,
        attributes: { 'executions.provider': NAME.durable, 'executions.cache.tier': 'memory' },
      },
    ]);
    expect(requestSpan(spans).attributes).toMatchObject({
      'executions.upstream_calls': 0,
      'executions.cached_executions': 1,
    });
  });

  it('exports OTLP over HTTP in protobuf, as by default', () => {
    expect(receiver.exports).toBeGreaterThan(0);
    expect(new Set(receiver.types)).toEqual(new Set(['application/x-protobuf']));
  });

  it('has no span from start-up: building the schemas is no request', () => {
    expect(
      receiver.spans.filter((span) => span.parentSpanId === undefined && span.kind !== 2),
    ).toEqual([]);
  });

  it('puts no secret and no customer id in any span', async () => {
    const caller = newTrace();
    await post(
      subgraph.graphql,
      'query Secrets { executions(ids: ["cloudshell:1DEB29BF-22B0-4CF6-B7BE-02173520EB81", "refold:674d2a10c1f3b2a9e0a10003", "refold:nope"]) { id } }',
      { traceparent: traceparent(caller.traceId, caller.spanId) },
    );
    await spansOf(caller.traceId);
    const issued = upstreamRequests(sims)
      .map((request) => request.headers.authorization)
      .filter((value): value is string => typeof value === 'string')
      .map((value) => value.replace(/^\S+ /, ''));
    const secrets = [
      ...secretsOf(loadConfig(simulatorEnv(sims), providerSettings), providerSettings),
      ...issued,
      ...Object.values(DEMO_HEADERS),
    ];
    expect(secrets).toContain('demo-customer');
    const everything = receiver.bodies.join('\n');
    expect(everything).toContain(caller.traceId);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('traces no live-status poll: a watch over WebSocket has its first load in its operation’s trace, and its polls send providers no traceparent and make no span', async () => {
    const spansBefore = receiver.spans.length;
    const client = createClient({
      url: subgraph.graphql.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: DEMO_HEADERS,
    });
    const events: unknown[] = [];
    const dispose = client.subscribe(
      { query: 'subscription { executionUpdated(id: "durable:wf_live_1") { id state } }' },
      {
        next: (event) => void events.push(event),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    let first: string | undefined;
    try {
      // The first load, then a poll of the watch (WATCH_INTERVAL_MS is 2000).
      await expect
        .poll(() => sims.durable!.requests.length, { timeout: 8000 })
        .toBeGreaterThanOrEqual(2);
      expect(events).toHaveLength(1);
      const [load, ...polls] = sims.durable!.requests;
      first = String(load!.headers.traceparent);
      expect(first).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      for (const request of polls) expect(request.headers.traceparent).toBeUndefined();
    } finally {
      dispose();
      await client.dispose();
    }
    // The operation's span ends with it: its trace holds the first load's call, and nothing
    // else has a call span.
    const traceId = first!.split('-')[1]!;
    const spans = await spansOf(traceId);
    const operation = requestSpan(spans);
    expect(operation).toMatchObject({ name: 'WebSocket /graphql', parentSpanId: undefined });
    const calls = receiver.spans.slice(spansBefore).filter((span) => span.kind === 3);
    expect(calls).toMatchObject([{ traceId, parentSpanId: operation.spanId }]);
  });

  it('passes the caller’s tracestate and baggage on to providers with the trace', async () => {
    const caller = newTrace();
    await post(
      subgraph.graphql,
      'query Baggage { execution(id: "refold:674d2a10c1f3b2a9e0a10002") { id } }',
      {
        traceparent: traceparent(caller.traceId, caller.spanId),
        tracestate: 'vendor=abc',
        baggage: 'tenant=blue',
      },
    );
    const [sent] = upstreamRequests(sims);
    expect(sent?.headers).toMatchObject({ tracestate: 'vendor=abc', baggage: 'tenant=blue' });
    expect(String(sent?.headers.traceparent)).toMatch(
      new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-01$`),
    );
    // Without baggage, the trace context alone.
    for (const sim of Object.values(sims)) sim.reset();
    await post(
      subgraph.graphql,
      'query Baggage { execution(id: "refold:674d2a10c1f3b2a9e0a10002") { id } }',
      { traceparent: traceparent(caller.traceId, caller.spanId), tracestate: 'vendor=abc' },
    );
    const [plain] = upstreamRequests(sims);
    expect(plain?.headers).toMatchObject({ tracestate: 'vendor=abc' });
    expect(plain?.headers.baggage).toBeUndefined();
    expect(String(plain?.headers.traceparent)).toMatch(
      new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-01$`),
    );
  });

  it('starts a trace of its own for a request without traceparent', async () => {
    await post(
      subgraph.graphql,
      'query Untraced { execution(id: "refold:674d2a10c1f3b2a9e0a10002") { id } }',
    );
    const [sent] = upstreamRequests(sims);
    const traceId = String(sent?.headers.traceparent).split('-')[1]!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const request = requestSpan(await spansOf(traceId));
    expect(request.parentSpanId).toBeUndefined();
    expect(request.attributes['graphql.operation.name']).toBe('Untraced');
  });
});

describe('sampling', () => {
  let receiver: Receiver;
  let sims: SimulatorSet;
  let subgraph: Subgraph;

  beforeAll(async () => {
    receiver = await startReceiver();
    sims = await startSimulators();
    // A ratio of 0: no request starts a trace, and a caller's decision is followed.
    subgraph = await start({
      ...simulatorEnv(sims),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
    });
  }, 60_000);

  afterAll(async () => {
    await terminate(subgraph);
    await closeAll(sims);
    receiver.server.close();
  });

  beforeEach(() => {
    for (const sim of Object.values(sims)) sim.reset();
  });

  const QUERY = 'query Sampled { execution(id: "refold:674d2a10c1f3b2a9e0a10002") { id } }';

  it('records nothing for requests it does not sample, and follows a caller that samples', async () => {
    /** The traceparent the provider received for a request with `headers`. */
    async function sent(headers: Record<string, string>) {
      for (const sim of Object.values(sims)) sim.reset();
      expect((await post(subgraph.graphql, QUERY, headers)).status).toBe(200);
      const calls = upstreamRequests(sims);
      expect(calls.length).toBeGreaterThan(0);
      return calls.map((call) => call.headers.traceparent);
    }
    const unsampled = newTrace();
    const sampled = newTrace();
    // No trace, so none for the provider; a caller's unsampled trace goes on, not sampled.
    const none = await sent({});
    const notSampled = await sent({
      traceparent: `00-${unsampled.traceId}-${unsampled.spanId}-00`,
    });
    const followed = await sent({ traceparent: traceparent(sampled.traceId, sampled.spanId) });
    expect(none).toEqual(none.map(() => undefined));
    expectContinued(notSampled, unsampled.traceId, '00');
    expectContinued(followed, sampled.traceId, '01');
    await expect
      .poll(() => receiver.spans.some((span) => span.kind === 2), { timeout: 10_000 })
      .toBe(true);
    // Spans go out in the order they end: any of the other requests' would have come first.
    expect(new Set(receiver.spans.map((span) => span.traceId))).toEqual(new Set([sampled.traceId]));
    const server = receiver.spans.find((span) => span.kind === 2)!;
    expect(server.parentSpanId).toBe(sampled.spanId);
    // Log lines carry the trace a request is in, sampled or not.
    const lines = () => subgraph.logs.filter((entry) => entry.msg === 'graphql request');
    await expect.poll(() => lines().length, { timeout: 5_000 }).toBe(3);
    expect(lines().map((entry) => entry.trace_id)).toEqual([
      undefined,
      unsampled.traceId,
      sampled.traceId,
    ]);
  });

  it('decides the same for operations over WebSocket', async () => {
    const QUERY_WS = 'query SampledSocket { execution(id: "durable:wf_queued_3") { id } }';
    /** The traceparents the providers received for one WebSocket operation. */
    async function sent(options: Parameters<typeof operate>[2]) {
      for (const sim of Object.values(sims)) sim.reset();
      await operate(subgraph.graphql, QUERY_WS, options);
      const calls = upstreamRequests(sims);
      expect(calls.length).toBeGreaterThan(0);
      return calls.map((call) => call.headers.traceparent);
    }
    const spansBefore = receiver.spans.length;
    const unsampled = newTrace();
    const sampled = newTrace();
    const none = await sent({});
    const notSampled = await sent({
      init: { traceparent: `00-${unsampled.traceId}-${unsampled.spanId}-00` },
    });
    const followed = await sent({
      upgradeHeaders: { traceparent: traceparent(sampled.traceId, sampled.spanId) },
    });
    expect(none).toEqual(none.map(() => undefined));
    expectContinued(notSampled, unsampled.traceId, '00');
    expectContinued(followed, sampled.traceId, '01');
    await expect
      .poll(() => receiver.spans.slice(spansBefore).some((span) => span.kind === 2), {
        timeout: 10_000,
      })
      .toBe(true);
    const spans = receiver.spans.slice(spansBefore);
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([sampled.traceId]));
    expect(spans.find((span) => span.kind === 2)).toMatchObject({
      name: 'WebSocket /graphql',
      parentSpanId: sampled.spanId,
    });
  });
});

describe('tracing over WebSocket and the callback protocol', () => {
  let receiver: Receiver;
  let sims: SimulatorSet;
  let subgraph: Subgraph;
  /** A router's callback endpoint: 204 to every message, each one kept with its headers. */
  let router: Server;
  let routerUrl: string;
  const messages: Array<{ headers: Record<string, unknown>; action: string }> = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    sims = await startSimulators();
    router = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { action: string };
        messages.push({ headers: req.headers, action: body.action });
        res.writeHead(204, { 'subscription-protocol': 'callback/1.0' }).end();
      });
    });
    router.listen(0, '127.0.0.1');
    await once(router, 'listening');
    routerUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
    subgraph = await start({
      ...simulatorEnv(sims),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // The SDK's own exporter, in JSON: the tracing on HTTP above exports with the default,
      // protobuf, which the subgraph encodes itself.
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      CALLBACK_URL_PREFIXES: `${routerUrl}/callback/`,
    });
  }, 60_000);

  afterAll(async () => {
    await terminate(subgraph);
    await closeAll(sims);
    receiver.server.close();
    router.close();
  });

  /** The spans of `traceId` once its operation span (kind server) has arrived. */
  async function spansOf(traceId: string): Promise<ReceivedSpan[]> {
    await expect
      .poll(() => receiver.spans.some((span) => span.traceId === traceId && span.kind === 2), {
        timeout: 10_000,
      })
      .toBe(true);
    return receiver.spans.filter((span) => span.traceId === traceId);
  }

  /** The checks every operation's trace passes: one span, its calls and graphql-js's below it. */
  function expectOperation(
    spans: ReceivedSpan[],
    caller: { spanId: string },
    name: string,
    transport: Record<string, string> = {
      name: 'WebSocket /graphql',
      'executions.transport': 'WebSocket',
    },
  ) {
    const servers = spans.filter((span) => span.kind === 2);
    expect(servers).toHaveLength(1);
    const operation = servers[0]!;
    const { name: spanName, ...transportAttributes } = transport;
    expect(operation).toMatchObject({
      parentSpanId: caller.spanId,
      name: spanName,
      service: 'executions-subgraph',
      attributes: {
        ...transportAttributes,
        'graphql.operation.name': name,
        'graphql.error.codes': [],
        'executions.upstream_calls': 1,
      },
    });
    const calls = spans.filter((span) => span.kind === 3);
    expect(calls).toMatchObject([
      {
        parentSpanId: operation.spanId,
        attributes: {
          'executions.provider': NAME.durable,
          'executions.upstream.status_class': '2xx',
          'executions.cache.hit': false,
        },
      },
    ]);
    expect(sims.durable.requests.map((r) => r.headers.traceparent)).toEqual([
      traceparent(operation.traceId, calls[0]!.spanId),
    ]);
    const graphqlSteps = spans.filter(isGraphQLStep);
    expect(graphqlSteps.length).toBeGreaterThan(0);
    for (const step of graphqlSteps) expect(step.parentSpanId).toBe(operation.spanId);
    return operation;
  }

  it('gives a query one operation span continuing the upgrade request’s traceparent, with its upstream call below', async () => {
    sims.durable.reset();
    const caller = newTrace();
    const events = await operate(
      subgraph.graphql,
      'query OverSocket { execution(id: "durable:wf_queued_3") { id state } }',
      { upgradeHeaders: { traceparent: traceparent(caller.traceId, caller.spanId) } },
    );
    expect(events).toEqual([
      { data: { execution: { id: 'durable:wf_queued_3', state: 'PENDING' } } },
    ]);
    expectOperation(await spansOf(caller.traceId), caller, 'OverSocket');
    // Its log line carries the trace.
    await expect
      .poll(() =>
        subgraph.logs.find(
          (line) => line.msg === 'graphql request' && line.operationName === 'OverSocket',
        ),
      )
      .toMatchObject({ trace_id: caller.traceId });
  });

  it('gives a subscription one operation span continuing connection_init’s traceparent, ended with it', async () => {
    sims.durable.reset();
    const caller = newTrace();
    // A finished execution: one event, and the subscription completes.
    const events = await operate(
      subgraph.graphql,
      'subscription Watched { executionUpdated(id: "durable:wf_child_1c") { id state } }',
      { init: { traceparent: traceparent(caller.traceId, caller.spanId) } },
    );
    expect(events).toEqual([
      { data: { executionUpdated: { id: 'durable:wf_child_1c', state: 'CANCELLED' } } },
    ]);
    expectOperation(await spansOf(caller.traceId), caller, 'Watched');
  });

  it('gives a callback subscription one span, its POST’s, ended with the subscription', async () => {
    sims.durable.reset();
    const caller = newTrace();
    const response = await fetch(subgraph.graphql, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json;callbackSpec=1.0',
        traceparent: traceparent(caller.traceId, caller.spanId),
        ...DEMO_HEADERS,
      },
      body: JSON.stringify({
        query:
          'subscription CallbackWatched { executionUpdated(id: "durable:wf_billing_7") { id state } }',
        extensions: {
          subscription: {
            callbackUrl: `${routerUrl}/callback/traced-1`,
            subscriptionId: 'traced-1',
            verifier: 'verifier-1',
            heartbeatIntervalMs: 0,
          },
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: null });
    // A finished execution: one event, then `complete`, which ends the subscription and its span.
    await expect.poll(() => messages.map((m) => m.action)).toEqual(['check', 'next', 'complete']);
    expectOperation(await spansOf(caller.traceId), caller, 'CallbackWatched', {
      name: 'POST /graphql',
      'http.route': '/graphql',
    });
    // Its messages go out of any trace.
    for (const message of messages) expect(message.headers.traceparent).toBeUndefined();
  });

  it('makes no span of graphql-js’s own steps a root', () => {
    expect(receiver.spans.length).toBeGreaterThan(0);
    expect(
      receiver.spans.filter((span) => isGraphQLStep(span) && span.parentSpanId === undefined),
    ).toEqual([]);
  });
});

/** A span of graphql-js's steps: parse, validate, or an operation's execute or subscribe. */
function isGraphQLStep(span: ReceivedSpan): boolean {
  return (
    span.kind === 1 &&
    (span.name === 'graphql.parse' ||
      span.name === 'graphql.validate' ||
      span.attributes['graphql.operation.type'] !== undefined)
  );
}

function executionCalls(sims: SimulatorSet): number {
  return upstreamRequests(sims).filter((r) => r.id !== null).length;
}

describe('shutdown with tracing on', () => {
  let sims: SimulatorSet;

  beforeAll(async () => {
    sims = await startSimulators();
  });

  afterAll(async () => {
    await closeAll(sims);
  });

  it('sends the spans still waiting on SIGTERM', async () => {
    const receiver = await startReceiver();
    try {
      // The default batch delay (5 s): only the shutdown sends this request's spans in time.
      const subgraph = await start({
        ...simulatorEnv(sims),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'traced-by-test',
        SHUTDOWN_GRACE_MS: '3000',
      });
      const caller = newTrace();
      const { status } = await post(
        subgraph.graphql,
        '{ execution(id: "durable:wf_root_1") { id } }',
        { traceparent: traceparent(caller.traceId, caller.spanId) },
      );
      expect(status).toBe(200);
      expect(receiver.spans.filter((span) => span.traceId === caller.traceId)).toEqual([]);
      const { code } = await terminate(subgraph);
      expect(code).toBe(0);
      const spans = receiver.spans.filter((span) => span.traceId === caller.traceId);
      expect(spans.find((span) => span.kind === 2)).toMatchObject({
        parentSpanId: caller.spanId,
        service: 'traced-by-test',
      });
      expect(spans.filter((span) => span.kind === 3)).toHaveLength(1);
    } finally {
      receiver.server.close();
    }
  }, 30_000);

  it.each(['fail', 'hang'] as const)(
    'answers and exits within the grace period when the collector answers with %s',
    async (mode) => {
      const receiver = await startReceiver();
      receiver.mode = mode;
      try {
        const subgraph = await start({
          ...simulatorEnv(sims),
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '50',
          SHUTDOWN_GRACE_MS: '1000',
        });
        for (let i = 0; i < 5; i++) {
          const { status, body } = await post(
            subgraph.graphql,
            '{ execution(id: "durable:wf_root_1") { id } }',
          );
          expect(status).toBe(200);
          expect(body.data.execution).toEqual({ id: 'durable:wf_root_1' });
        }
        await expect.poll(() => receiver.exports).toBeGreaterThan(0);
        const { code, ms } = await terminate(subgraph);
        expect(code).toBe(0);
        // The exporter's own timeout is 10 s: only the bounded shutdown ends it sooner.
        expect(ms).toBeLessThan(5_000);
      } finally {
        receiver.server.closeAllConnections();
        receiver.server.close();
      }
    },
    30_000,
  );

  it('answers and exits when nothing listens at the endpoint', async () => {
    const closed = await startReceiver();
    closed.server.close();
    const subgraph = await start({
      ...simulatorEnv(sims),
      OTEL_EXPORTER_OTLP_ENDPOINT: closed.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      SHUTDOWN_GRACE_MS: '1000',
    });
    const { status, body } = await post(
      subgraph.graphql,
      '{ execution(id: "durable:wf_root_1") { id } }',
    );
    expect(status).toBe(200);
    expect(body.data.execution).toEqual({ id: 'durable:wf_root_1' });
    const { code, ms } = await terminate(subgraph);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
  }, 30_000);
});

describe('tracing off', () => {
  let sims: SimulatorSet;
  let dir: string;
  let runs = 0;

  beforeAll(async () => {
    sims = await startSimulators();
    dir = mkdtempSync(join(tmpdir(), 'modules-'));
  });

  afterAll(async () => {
    await closeAll(sims);
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Every OpenTelemetry module (ESM or CommonJS) a subgraph loaded while it answered one request,
   * with the module outside OpenTelemetry that first asked for it; and how many modules it loaded.
   */
  async function openTelemetryLoaded(env: Record<string, string>) {
    runs += 1;
    const log = join(dir, `${runs}.log`);
    // A module hook in the subgraph's own thread: every resolved module, with its importer.
    const hook = `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ resolve(specifier, context, next) {
  const resolved = next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, JSON.stringify([context.parentURL ?? null, resolved.url]) + '\\n');
  return resolved;
} });`;
    const subgraph = await start({ ...simulatorEnv(sims), ...env }, [
      `--import=data:text/javascript,${encodeURIComponent(hook)}`,
    ]);
    const { status } = await post(
      subgraph.graphql,
      '{ execution(id: "durable:wf_root_1") { id } }',
    );
    expect(status).toBe(200);
    expect((await terminate(subgraph)).code).toBe(0);
    const resolved = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as [string | null, string]);
    const isOpenTelemetry = (url: string | null) => url?.includes('/@opentelemetry/') ?? false;
    // Who outside OpenTelemetry loads which of its packages.
    const entries = resolved
      .filter(([parent, url]) => isOpenTelemetry(url) && !isOpenTelemetry(parent))
      .map(([parent, url]) => ({
        importer: parent!
          .replace(/^.*\/node_modules\//, '')
          .replace(/^file:\/\/.*\/dist\//, 'dist/'),
        module: /\/@opentelemetry\/[^/]+/.exec(url)![0].slice(1),
      }));
    return { entries, count: resolved.length, all: resolved.map(([, url]) => url) };
  }

  it('loads no OpenTelemetry module without OTEL_EXPORTER_OTLP_ENDPOINT, but the API prom-client requires', async () => {
    const { entries, all } = await openTelemetryLoaded({});
    // The hook saw the app and graphql-js, so it would have seen OpenTelemetry.
    expect(all.some((url) => url.endsWith('/dist/http/server.js'))).toBe(true);
    expect(all.some((url) => url.includes('/node_modules/graphql/'))).toBe(true);
    // prom-client 15 requires @opentelemetry/api as it loads (for exemplars, which are off
    // here): the API alone, without an SDK, whose calls are no-ops. Nothing else.
    expect(entries).toEqual([
      { importer: 'prom-client/lib/metrics/processCpuTotal.js', module: '@opentelemetry/api' },
    ]);
  }, 30_000);

  it('loads the SDK, and no instrumentation, from src/telemetry/tracing.ts with it', async () => {
    const { entries } = await openTelemetryLoaded({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    });
    const fromTracing = entries
      .filter(({ importer }) => importer === 'dist/telemetry/tracing.js')
      .map(({ module }) => module);
    expect(new Set(fromTracing)).toEqual(
      new Set(['@opentelemetry/api', '@opentelemetry/sdk-node']),
    );
    // The sampler (OTEL_TRACES_SAMPLER) is built from the SDK's own samplers (and reads a
    // parent's span context through the API).
    expect(
      new Set(
        entries
          .filter(({ importer }) => importer === 'dist/telemetry/sampler.js')
          .map(({ module }) => module),
      ),
    ).toEqual(new Set(['@opentelemetry/api', '@opentelemetry/sdk-trace']));
  }, 30_000);

  it('writes log lines without trace ids and sends providers no traceparent', async () => {
    for (const sim of Object.values(sims)) sim.reset();
    const subgraph = await start(simulatorEnv(sims));
    await post(subgraph.graphql, '{ execution(id: "durable:wf_root_1") { id } }', {
      traceparent: traceparent(newTrace().traceId, newTrace().spanId),
    });
    await terminate(subgraph);
    const line = subgraph.logs.find((entry) => entry.msg === 'graphql request');
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty('trace_id');
    expect(sims.durable.requests[0]?.headers.traceparent).toBeUndefined();
  }, 30_000);
});
