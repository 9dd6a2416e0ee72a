// `npm run bench:encode`: the OTLP protobuf encoding of the spans one sampled request makes (its
// server span, graphql-js's execute and one provider call, with the attributes
// src/telemetry/tracing.ts gives them), in batches of 510 spans as the batch span processor
// hands them over: the library's serializer (`ProtobufTraceSerializer`) against ours
// (`encodeTraceRequest`), in alternating rounds of one run, as CPU time per request.
// `BENCH_ENCODE_BEFORE=<a checkout>/dist/telemetry/otlp-protobuf.js` adds another build's
// encoder. Prints a table; exits non-zero when the encoders' bytes differ.
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { encodeTraceRequest } from '../src/telemetry/otlp-protobuf.js';

const REQUESTS = 170;
const ROUNDS = 9;
const BATCHES = 300;

const memory = new InMemorySpanExporter();
const tracer = new TracerProvider({
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
}).getTracer('executions-subgraph');
const source =
  'query One($id: ID!) { execution(id: $id) { id state createdAt ... on CloudShellExecution { stopLink } } }';
for (let i = 0; i < REQUESTS; i++) {
  const server = tracer.startSpan('POST /graphql', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  server.setAttributes({ 'http.route': '/graphql', 'http.request.method': 'POST' });
  const parent = trace.setSpan(ROOT_CONTEXT, server);
  const execute = tracer.startSpan(
    'query One',
    {
      attributes: {
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'One',
        'graphql.source': source,
      },
    },
    parent,
  );
  const call = tracer.startSpan('GET DURABLE_WORKFLOW', { kind: SpanKind.CLIENT }, parent);
  call.setAttributes({
    'executions.provider': 'DURABLE_WORKFLOW',
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': 4010,
    'executions.upstream.attempt': 1,
    'executions.cache.hit': false,
  });
  call.setAttribute('http.response.status_code', 200);
  call.setAttribute('executions.upstream.status_class', '2xx');
  call.end();
  execute.end();
  server.setAttributes({
    'executions.request_id': `0190c0de-${i.toString(16).padStart(4, '0')}-7000-8000-000000000000`,
    'executions.upstream_calls': 1,
    'executions.cached_executions': 0,
    'graphql.error.codes': [],
    'graphql.operation.name': 'One',
    'http.response.status_code': 200,
  });
  server.end();
}
const spans = memory.getFinishedSpans() as ReadableSpan[];

type Encode = (spans: ReadableSpan[]) => Uint8Array | undefined;
const encoders: Array<{ name: string; encode: Encode; us: number[] }> = [
  {
    name: 'the library (ProtobufTraceSerializer)',
    encode: (batch) => ProtobufTraceSerializer.serializeRequest(batch),
    us: [],
  },
  { name: 'ours (encodeTraceRequest)', encode: encodeTraceRequest, us: [] },
];
const before = process.env.BENCH_ENCODE_BEFORE;
if (before) {
  const module = (await import(pathToFileURL(before).href)) as { encodeTraceRequest: Encode };
  encoders.push({
    name: `ours, the build at ${before}`,
    encode: module.encodeTraceRequest,
    us: [],
  });
}

const library = Buffer.from(encoders[0]!.encode(spans)!);
for (const { name, encode } of encoders) {
  if (!Buffer.from(encode(spans)!).equals(library)) {
    console.error(`${name}: not the library's bytes`);
    process.exit(1);
  }
  for (let i = 0; i < BATCHES; i++) encode(spans);
}
// Alternating rounds: the machine's speed moves within a run, and each round's ratio is against
// the library in the same round.
for (let round = 0; round < ROUNDS; round++) {
  for (const encoder of round % 2 ? [...encoders].reverse() : encoders) {
    const start = process.cpuUsage();
    for (let i = 0; i < BATCHES; i++) encoder.encode(spans);
    const used = process.cpuUsage(start);
    encoder.us.push((used.user + used.system) / BATCHES / REQUESTS);
  }
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ratios = (us: number[]) => us.map((value, i) => value / encoders[0]!.us[i]!);
console.log(`${spans.length} spans, ${library.length} bytes per batch; ${ROUNDS} rounds\n`);
console.log(
  '| encoder | CPU µs per request (3 spans), median | / the library (median of rounds) |',
);
console.log('| --- | --- | --- |');
for (const { name, us } of encoders) {
  console.log(
    `| ${name} | ${median(us).toFixed(2)} | ${median(ratios(us)).toFixed(2)} (${Math.min(...ratios(us)).toFixed(2)}-${Math.max(...ratios(us)).toFixed(2)}) |`,
  );
}
