import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { createClient } from 'graphql-ws';
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  type GraphQLField,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { refold, LINKED_ACCOUNT_HEADER } from '../../src/datasources/refold.js';
import { simulatorEnv } from '../../src/demo.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { providers, providerSettings } from '../../src/providers.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { startApp, type App } from '../../src/http/server.js';
import type { Fault, Simulator } from '../../src/simulators/index.js';
import { REFOLD_DEMO_LINKED_ACCOUNT } from '../../src/simulators/refold.js';
import { NO_POLICY, startHarness, type Harness } from '../harness.js';

// Every generated request goes down both routes, over the same simulators: the app as it runs
// (fast route on) and the same app with every request through Apollo Server. Whatever route
// answers, the outcome must be the same (STYLE.md, "One request pipeline"). The same operation
// also goes over WebSocket (graphql-transport-ws) to a third app, and must be answered as HTTP
// answers it: a `next` with the body's data and errors, then `complete`; or, for a request HTTP
// refuses before execution (a 400 without data), an `error` message with the body's errors.
// Each app has its own cache, fed the same requests in the same order.

type LogLine = Record<string, unknown>;

interface Route {
  app: App;
  /** Every log line the app wrote, parsed, in order. */
  logs: LogLine[];
  agent: Agent;
}

interface Probe {
  method: 'GET' | 'POST';
  /** `/graphql`, plus the query string of a GET. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** The same operation over WebSocket: its payload, and `connection_init`'s. */
interface SocketRequest {
  payload: {
    query: string;
    variables: Record<string, unknown>;
    operationName: string | null | undefined;
  };
  /** The request headers a WebSocket client sends in `connection_init`: the Refold customer. */
  params: Record<string, string>;
}

/** A generated request over HTTP and, unless HTTP refuses it for reasons of its own, over WebSocket. */
interface Request {
  probe: Probe;
  socket: SocketRequest | undefined;
}

/** What came back over WebSocket, in order. */
type SocketMessage =
  { type: 'next'; payload: unknown } | { type: 'error'; payload: unknown } | { type: 'complete' };

interface SocketOutcome {
  messages: SocketMessage[];
  logs: string[];
  unattributed: string[];
  metrics: Record<string, number>;
}

interface Outcome {
  status: number;
  /** `name: value`, sorted. */
  headers: string[];
  body: string;
  /** The lines that carry the request's id. */
  logs: string[];
  /** Other lines written meanwhile, e.g. 'unexpected error', which carries no request id. */
  unattributed: string[];
  metrics: Record<string, number>;
}

interface Variable {
  name: string;
  type: string;
  value: unknown;
  /** A GraphQL literal, when the variable has a default. */
  default?: string | undefined;
  /** Whether the request's `variables` carry it. */
  sent: boolean;
}

/** One root field of an operation and the variables it uses. */
interface Root {
  text: string;
  variables: Variable[];
}

interface Operation {
  name: string | undefined;
  roots: Root[];
  /** The selection of `fragment Common on Execution`, added when a spread uses it. */
  common: string;
  /** Other operations of the document, `query OtherN { __typename }`. */
  others: number;
  shown: boolean;
  /** Undefined: `$hidden` keeps its default. */
  hidden: boolean | undefined;
}

type Flaw =
  | 'none'
  | 'syntax'
  | 'unknownField'
  | 'wrongVariableType'
  | 'missingVariable'
  | 'unknownOperation'
  | 'tooManyIds';

type NameChoice = 'picked' | 'absent' | 'null' | 'other';

interface Transport {
  method: 'GET' | 'POST';
  accept: string | undefined;
  contentType: string;
  preflight: boolean;
  extensions: Record<string, unknown> | undefined;
}

/** What a request is made of, before it is written as HTTP. */
interface Generated {
  op: Operation;
  flaw: Flaw;
  choice: NameChoice;
  transport: Transport;
  account: string | undefined;
}

/** The request's one failure after an upstream answer: a failing id, or `id` as `typename`. */
interface Late {
  id: string;
  typename?: string;
}

interface Ids {
  /** Ids every simulator answers with a record. */
  found: string[];
  /** Ids refused before any upstream call. */
  refused: string[];
  /** Ids whose upstream call fails: NOT_FOUND, injected faults, another customer's. */
  failing: string[];
}

const FAST_COUNTER = 'graphql_fast_path_requests_total';
const ANOTHER_ACCOUNT = 'another-customer';
const MAX_IDS = loadConfig({}, providerSettings).maxIdsPerRequest;

/** Native ids each simulator answers with a fault, every time (injected once). */
const FAULTS: ReadonlyArray<readonly [string, Fault]> = [
  ['fault-500', { kind: 'status', status: 500 }],
  ['fault-429', { kind: 'status', status: 429, retryAfterSeconds: 7 }],
  ['fault-malformed', { kind: 'malformed' }],
  ['fault-html', { kind: 'html' }],
  ['fault-shape', { kind: 'wrongShape' }],
  ['fault-truncated', { kind: 'truncated' }],
  ['fault-oversized', { kind: 'oversized', bytes: 2 * 1024 * 1024 }],
  ['fault-401', { kind: 'status', status: 401 }],
  ['fault-403', { kind: 'status', status: 403 }],
  ['fault-503', { kind: 'status', status: 503 }],
];

const schema = buildSchema(providers);

let h: Harness;
let fast: Route;
let apollo: Route;
/** The app the WebSocket requests go to (its agent serves only the warm-up and /metrics). */
let socket: Route;

beforeAll(async () => {
  h = await startHarness(NO_POLICY);
  const config = loadConfig(
    {
      ...simulatorEnv(h.sims),
      PORT: '0',
      HOST: '127.0.0.1',
      ...NO_POLICY,
    },
    providerSettings,
  );
  const another = async (fastRoute: boolean): Promise<Route> => {
    const logs: LogLine[] = [];
    const logger = createLogger('debug', {
      write: (line: string) => void logs.push(JSON.parse(line)),
    });
    const app = await startApp(config, logger, { registry: providers, fastRoute });
    return { app, logs, agent: new Agent({ keepAlive: true }) };
  };
  fast = { app: h.app, logs: h.logs, agent: new Agent({ keepAlive: true }) };
  apollo = await another(false);
  socket = await another(true);
  for (const {
    datasource: { key },
  } of providers) {
    for (const [id, fault] of FAULTS) simulator(key).inject(fault, { times: Infinity, id });
  }
  // CloudShell logs in on an app's first call to it: done here, so that no generated request
  // depends on the ones before it.
  for (const route of [fast, apollo, socket]) await send(route, warmUp());
});
afterAll(async () => {
  // Whatever beforeAll got to start, when it failed part way.
  for (const route of [fast, apollo, socket]) route?.agent.destroy();
  await apollo?.app.close();
  await socket?.app.close();
  await h?.close();
});

function simulator(key: string): Simulator {
  const found = Object.entries(h.sims).find(([name]) => name === key);
  if (!found) throw new Error(`No simulator for provider ${key}`);
  return found[1];
}

function seededIds(key: string): string[] {
  return simulator(key).seeded.map(({ id }) => `${key}:${id}`);
}

function ids(account: string | undefined): Ids {
  // Refold answers only the customer that owns a record; without the header it is never asked.
  const owned = (key: string) => key !== refold.key || account === REFOLD_DEMO_LINKED_ACCOUNT;
  return {
    found: providers
      .filter(({ datasource: { key } }) => owned(key))
      .flatMap(({ datasource: { key } }) => seededIds(key)),
    refused: [
      'nope:1',
      'no-colon',
      ':no-key',
      ...providers.map(({ datasource: { key } }) => `${key}:`),
      `${providers[0]!.datasource.key}:${'x'.repeat(520)}`,
    ],
    failing: [
      ...providers.flatMap(({ datasource: { key } }) => [
        `${key}:missing`,
        `${key}:../admin`,
        `${key}:ünï/cødé?#`,
        ...FAULTS.map(([id]) => `${key}:${id}`),
      ]),
      ...providers
        .filter(({ datasource: { key } }) => !owned(key))
        .flatMap(({ datasource: { key } }) => seededIds(key)),
    ],
  };
}

function warmUp(): Probe {
  const body = JSON.stringify({
    query: 'query WarmUp($ids: [ID!]!) { executions(ids: $ids) { id } }',
    variables: { ids: providers.map(({ datasource: { key } }) => seededIds(key)[0]) },
  });
  return {
    method: 'POST',
    target: '/graphql',
    headers: {
      'content-type': 'application/json',
      [LINKED_ACCOUNT_HEADER]: REFOLD_DEMO_LINKED_ACCOUNT,
    },
    body,
  };
}

function send(route: Route, probe: Probe) {
  return new Promise<{ status: number; rawHeaders: string[]; body: string }>((resolve, reject) => {
    const req = request(
      `${route.app.url}${probe.target}`,
      { method: probe.method, headers: probe.headers, agent: route.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.once('error', reject);
    req.end(probe.body);
  });
}

async function scrape(route: Route): Promise<Map<string, number>> {
  const { body } = await send(route, { method: 'GET', target: '/metrics', headers: {} });
  const series = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

/** Series that may differ by route or by timing; everything else must move alike. */
function compared(series: string): boolean {
  const name = series.split('{', 1)[0]!;
  return !(
    /^(process|nodejs)_/.test(name) ||
    name === FAST_COUNTER ||
    /_duration_seconds_(bucket|sum)$/.test(name)
  );
}

function delta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const moved: Record<string, number> = {};
  for (const series of new Set([...before.keys(), ...after.keys()])) {
    const change = (after.get(series) ?? 0) - (before.get(series) ?? 0);
    if (compared(series) && change !== 0) moved[series] = change;
  }
  return moved;
}

function headersOf(rawHeaders: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name !== 'date') lines.push(`${name}: ${rawHeaders[i + 1]}`);
  }
  return lines.sort();
}

// The provider's request id differs from call to call; nothing else may.
function withoutUpstreamIds(text: string): string {
  return text.replace(/"upstreamRequestId":"[^"]*"/g, '"upstreamRequestId":"…"');
}

function comparableLine(line: LogLine): string {
  const kept = Object.entries(line).filter(([key]) => key !== 'time' && key !== 'durationMs');
  return withoutUpstreamIds(JSON.stringify(Object.fromEntries(kept)));
}

function withoutStack(line: LogLine): LogLine {
  const { err } = line;
  if (typeof err !== 'object' || err === null) return line;
  return {
    ...line,
    err: Object.fromEntries(Object.entries(err).filter(([key]) => key !== 'stack')),
  };
}

/** Requests go one at a time, so every line written meanwhile is this request's. */
function linesOf(written: LogLine[], requestId: string) {
  return {
    logs: written.filter((line) => line.requestId === requestId).map(comparableLine),
    // An error's stack names the route's own frames; the rest of its line must match.
    unattributed: written
      .filter((line) => line.requestId !== requestId)
      .map((line) => comparableLine(withoutStack(line))),
  };
}

/** `probe` with a fixed `x-request-id`, so both routes log and answer the same id. */
function withRequestId(probe: Probe, requestId: string): Probe {
  return { ...probe, headers: { ...probe.headers, 'x-request-id': requestId } };
}

function requestId(probe: Probe): string {
  const id = probe.headers['x-request-id'];
  if (id === undefined) throw new Error('A probe carries an x-request-id');
  return id;
}

async function observe(route: Route, probe: Probe): Promise<Outcome> {
  const before = await scrape(route);
  const logged = route.logs.length;
  const response = await send(route, probe);
  const after = await scrape(route);
  return {
    status: response.status,
    headers: headersOf(response.rawHeaders),
    body: withoutUpstreamIds(response.body),
    ...linesOf(route.logs.slice(logged), requestId(probe)),
    metrics: delta(before, after),
  };
}

/**
 * `request` over WebSocket on a connection of its own (the upgrade request carries the
 * `x-request-id`, so the app logs the HTTP request's id): every message until `complete` or
 * `error`.
 */
async function observeSocket(
  route: Route,
  request: SocketRequest,
  requestId: string,
): Promise<SocketOutcome> {
  const before = await scrape(route);
  const logged = route.logs.length;
  const messages: SocketMessage[] = [];
  const client = createClient({
    url: `${route.app.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-request-id': requestId } });
      }
    },
    connectionParams: request.params,
    retryAttempts: 0,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe(request.payload, {
        next: (payload) => void messages.push({ type: 'next', payload }),
        complete: () => {
          messages.push({ type: 'complete' });
          resolve();
        },
        error: (errors) => {
          // An `error` message's payload is an array; anything else is the socket failing.
          if (!Array.isArray(errors)) return reject(new Error(`WebSocket failed: ${errors}`));
          messages.push({ type: 'error', payload: errors });
          resolve();
        },
      });
    });
  } finally {
    await client.dispose();
  }
  const after = await scrape(route);
  return {
    // As the HTTP body is compared: the provider's request ids left out.
    messages: JSON.parse(withoutUpstreamIds(JSON.stringify(messages))) as SocketMessage[],
    ...linesOf(route.logs.slice(logged), requestId),
    metrics: delta(before, after),
  };
}

/**
 * What WebSocket must send for the answer HTTP gave: a body with data (an executed query) is
 * one `next` with its data and errors, then `complete`; one without (refused before execution,
 * a 400) is an `error` message with its errors.
 */
function socketMessagesFor(body: string): SocketMessage[] {
  const { data, errors, extensions } = JSON.parse(body) as {
    data?: unknown;
    errors?: unknown[];
    extensions?: unknown;
  };
  if (data === undefined) return [{ type: 'error', payload: errors }];
  const payload = {
    data,
    ...(errors && { errors }),
    ...(extensions !== undefined && { extensions }),
  };
  return [{ type: 'next', payload }, { type: 'complete' }];
}

function fieldsOf(typeName: string): GraphQLField<unknown, unknown>[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type) && !isInterfaceType(type)) {
    throw new Error(`${typeName} is not an object or interface type`);
  }
  return Object.values(type.getFields()).filter((field) => field.args.length === 0);
}

const rarely = fc.constantFrom(false, false, false, false, false, true);

const directive = fc.constantFrom('', '', '', ' @include(if: $shown)', ' @skip(if: $hidden)');

/** A few of `items`, each mostly left out; `__typename` when none is picked. */
function someOf(items: fc.Arbitrary<string>[]): fc.Arbitrary<string> {
  const maybe = (item: fc.Arbitrary<string>) =>
    fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: item, weight: 1 });
  return fc
    .tuple(...items.map(maybe))
    .map((picked) => picked.filter(Boolean).join(' ') || '__typename');
}

function fieldSelection(
  field: GraphQLField<unknown, unknown>,
  depth: number,
): fc.Arbitrary<string> {
  const type = getNamedType(field.type);
  const head = fc
    .tuple(rarely, directive)
    .map(([aliased, at]) => [`${aliased ? `${field.name}Alias: ` : ''}${field.name}`, at]);
  if (isLeafType(type)) return head.map(([name, at]) => `${name}${at}`);
  const inner = depth > 0 ? selection(type.name, depth - 1) : fc.constant('__typename');
  return fc.tuple(head, inner).map(([[name, at], sub]) => `${name}${at} { ${sub} }`);
}

function selection(typeName: string, depth: number): fc.Arbitrary<string> {
  return someOf(fieldsOf(typeName).map((field) => fieldSelection(field, depth)));
}

function inlineFragments(): fc.Arbitrary<string>[] {
  return providers.map(({ type: { typename } }) =>
    fc
      .tuple(directive, selection(typename, 1))
      .map(([at, sub]) => `... on ${typename}${at} { ${sub} }`),
  );
}

const commonSpread = directive.map((at) => `...Common${at}`);

const executionSelection = someOf([
  selection('Execution', 1),
  commonSpread,
  ...inlineFragments(),
  fc.constant('__typename'),
]);

const entitySelection = someOf([commonSpread, ...inlineFragments(), fc.constant('__typename')]);

function typenameOf(id: string): string | undefined {
  return providers.find(({ datasource: { key } }) => id.startsWith(`${key}:`))?.type.typename;
}

const typenames = providers.map(({ type: { typename } }) => typename);

/** A representation as `Execution` or its own type, or the request's one of the wrong type. */
function representation(id: fc.Arbitrary<string>, late: Late | undefined) {
  const matching = id.chain((chosen) => {
    const own = typenameOf(chosen);
    // An id refused before any call fails alike under any type.
    const names = own === undefined ? typenames : [own];
    return fc.constantFrom('Execution', ...names).map((__typename) => ({ __typename, id: chosen }));
  });
  if (late?.typename === undefined) return matching;
  return fc.oneof(matching, fc.constant({ __typename: late.typename, id: late.id }));
}

function aliasOf(index: number): fc.Arbitrary<string> {
  return fc.constantFrom(true, true, true, false).map((aliased) => (aliased ? `r${index}: ` : ''));
}

/** A GraphQL literal of a JSON value. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}: ${literal(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** How an argument's value is passed: inline, in a variable, or as the variable's default. */
type Passing = 'literal' | 'variable' | 'default';

const passings = fc.constantFrom<Passing>('literal', 'variable', 'variable', 'default');

interface Call {
  alias: string;
  field: string;
  argument: string;
  type: string;
  value: unknown;
  passing: Passing;
  selection: string;
}

function rootOf(call: Call, index: number): Root {
  const head = `${call.alias}${call.field}(${call.argument}: `;
  const tail = `) { ${call.selection} }`;
  if (call.passing === 'literal') {
    return { text: `${head}${literal(call.value)}${tail}`, variables: [] };
  }
  const name = `${call.argument}${index}`;
  const defaulted = call.passing === 'default';
  const variable: Variable = {
    name,
    type: call.type,
    value: call.value,
    default: defaulted ? literal(call.value) : undefined,
    sent: !defaulted,
  };
  return { text: `${head}$${name}${tail}`, variables: [variable] };
}

function call(
  index: number,
  field: string,
  argument: string,
  type: string,
  values: { value: fc.Arbitrary<unknown>; selection: fc.Arbitrary<string> },
): fc.Arbitrary<Root> {
  return fc
    .record({ alias: aliasOf(index), passing: passings, ...values })
    .map((picked) => rootOf({ ...picked, field, argument, type }, index));
}

const metaFields = fc.constantFrom(
  '__typename',
  '__schema { queryType { name } }',
  ...providers.map(
    ({ type: { typename } }) => `__type(name: "${typename}") { name kind interfaces { name } }`,
  ),
  '_service { sdl }',
);

function rootField(index: number, id: fc.Arbitrary<string>, late: Late | undefined) {
  const selection = executionSelection;
  const representations = fc.array(representation(id, late), { maxLength: 4 });
  const meta = fc
    .tuple(aliasOf(index), metaFields)
    .map(([alias, text]): Root => ({ text: `${alias}${text}`, variables: [] }));
  return fc.oneof(
    call(index, 'execution', 'id', 'ID!', { value: id, selection }),
    call(index, 'executions', 'ids', '[ID!]!', {
      value: fc.array(id, { maxLength: 6 }),
      selection,
    }),
    call(index, '_entities', 'representations', '[_Any!]!', {
      value: representations,
      selection: entitySelection,
    }),
    meta,
  );
}

function idFor(pool: Ids, late: Late | undefined): fc.Arbitrary<string> {
  const failing = late?.typename === undefined ? late?.id : undefined;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...pool.found), weight: 6 },
    { arbitrary: fc.constantFrom(...pool.refused), weight: 1 },
    ...(failing === undefined ? [] : [{ arbitrary: fc.constant(failing), weight: 2 }]),
  );
}

/**
 * At most one failure per request that follows an upstream answer: an id whose call fails, or
 * a found id referenced as another type. Several would be listed in the order the provider
 * answers came in, which neither route fixes.
 */
function lateFailure(pool: Ids): fc.Arbitrary<Late | undefined> {
  const mistyped = fc
    .constantFrom(...pool.found)
    .chain((id) =>
      fc
        .constantFrom(...typenames.filter((name) => name !== typenameOf(id)))
        .map((typename): Late => ({ id, typename })),
    );
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(...pool.failing).map((id): Late => ({ id })),
    mistyped,
  );
}

function operation(pool: Ids, late: Late | undefined): fc.Arbitrary<Operation> {
  const id = idFor(pool, late);
  return fc.record({
    name: fc.constantFrom(undefined, 'Probe', 'Probe', 'Lookup', 'Lookup'),
    roots: fc
      .tuple(
        rootField(0, id, late),
        fc.option(rootField(1, id, late), { nil: undefined }),
        fc.option(rootField(2, id, late), { nil: undefined }),
      )
      .map((roots) => roots.filter((root): root is Root => root !== undefined)),
    common: selection('Execution', 0),
    others: fc.constantFrom(0, 0, 0, 0, 1, 2),
    shown: fc.boolean(),
    hidden: fc.option(fc.boolean(), { nil: undefined }),
  });
}

function variablesOf(op: Operation, text: string): Variable[] {
  const shown: Variable = { name: 'shown', type: 'Boolean!', value: op.shown, sent: true };
  const hidden: Variable = {
    name: 'hidden',
    type: 'Boolean',
    value: op.hidden,
    default: 'false',
    sent: op.hidden !== undefined,
  };
  return [
    ...op.roots.flatMap((root) => root.variables),
    ...(text.includes('$shown') ? [shown] : []),
    ...(text.includes('$hidden') ? [hidden] : []),
  ];
}

function withFlaw(op: Operation, flaw: Flaw): Operation {
  if (flaw === 'unknownField') {
    return { ...op, roots: [...op.roots, { text: 'unknownField', variables: [] }] };
  }
  if (flaw === 'tooManyIds') {
    const many = Array.from({ length: MAX_IDS + 1 }, () => 'nope:1');
    const variables = [{ name: 'many', type: '[ID!]!', value: many, sent: true }];
    return {
      ...op,
      roots: [...op.roots, { text: 'r9: executions(ids: $many) { id }', variables }],
    };
  }
  return op;
}

function document(op: Operation): { query: string; variables: Variable[] } {
  const roots = op.roots.map((root) => root.text).join(' ');
  const common = roots.includes('...Common') ? op.common : '';
  const used = variablesOf(op, `${roots} ${common}`);
  const definitions = used
    .map(
      (variable) =>
        `$${variable.name}: ${variable.type}${variable.default ? ` = ${variable.default}` : ''}`,
    )
    .join(', ');
  const head =
    op.name === undefined && definitions === ''
      ? ''
      : `query ${op.name ?? ''}${definitions ? `(${definitions})` : ''} `;
  const parts = [`${head}{ ${roots} }`];
  for (let i = 0; i < op.others; i++) parts.push(`query Other${i} { __typename }`);
  if (common) parts.push(`fragment Common on Execution { ${common} }`);
  return { query: parts.join('\n'), variables: used };
}

function variableValues(used: Variable[], flaw: Flaw): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { name, value, sent } of used) if (sent) values[name] = value;
  const required = used.find(({ type, sent }) => type.endsWith('!') && sent);
  if (required && flaw === 'missingVariable' && required.default === undefined) {
    delete values[required.name];
  }
  if (required && flaw === 'wrongVariableType') values[required.name] = { nested: [1.5] };
  return values;
}

function operationName(op: Operation, choice: NameChoice, flaw: Flaw): string | null | undefined {
  if (flaw === 'unknownOperation') return 'Nope';
  if (choice === 'absent') return undefined;
  if (choice === 'null') return null;
  if (choice === 'other' && op.others > 0) return 'Other0';
  return op.name;
}

function requestOf(generated: Generated): Request {
  return { probe: probeOf(generated), socket: socketRequestOf(generated) };
}

/**
 * The operation over WebSocket, with the same query text, variables, operation name and Refold
 * customer; undefined when HTTP refuses the request for a rule of HTTP's own: a GET without
 * CSRF prevention's header, or a persisted query (Apollo's, over HTTP only).
 */
function socketRequestOf({
  op,
  flaw,
  choice,
  transport,
  account,
}: Generated): SocketRequest | undefined {
  if (transport.method === 'GET' && !transport.preflight) return undefined;
  if (transport.extensions !== undefined && 'persistedQuery' in transport.extensions) {
    return undefined;
  }
  const { query, variables: used } = document(withFlaw(op, flaw));
  return {
    payload: {
      query: flaw === 'syntax' ? query.slice(0, -1) : query,
      variables: variableValues(used, flaw),
      operationName: operationName(op, choice, flaw),
    },
    params: account === undefined ? {} : { [LINKED_ACCOUNT_HEADER]: account },
  };
}

function probeOf({ op, flaw, choice, transport, account }: Generated): Probe {
  const { query, variables: used } = document(withFlaw(op, flaw));
  const text = flaw === 'syntax' ? query.slice(0, -1) : query;
  const variables = variableValues(used, flaw);
  const name = operationName(op, choice, flaw);
  const { extensions } = transport;
  const headers: Record<string, string> = {};
  if (transport.accept !== undefined) headers.accept = transport.accept;
  if (account !== undefined) headers[LINKED_ACCOUNT_HEADER] = account;
  if (transport.method === 'GET') {
    const search = new URLSearchParams({ query: text });
    if (Object.keys(variables).length > 0) search.set('variables', JSON.stringify(variables));
    if (typeof name === 'string') search.set('operationName', name);
    if (extensions !== undefined) search.set('extensions', JSON.stringify(extensions));
    if (transport.preflight) headers['apollo-require-preflight'] = 'true';
    return { method: 'GET', target: `/graphql?${search}`, headers };
  }
  const body = JSON.stringify({ query: text, variables, operationName: name, extensions });
  headers['content-type'] = transport.contentType;
  headers['content-length'] = String(Buffer.byteLength(body));
  return { method: 'POST', target: '/graphql', headers, body };
}

const flaws = fc.oneof(
  { arbitrary: fc.constant<Flaw>('none'), weight: 12 },
  {
    arbitrary: fc.constantFrom<Flaw>(
      'syntax',
      'unknownField',
      'wrongVariableType',
      'missingVariable',
      'unknownOperation',
      'tooManyIds',
    ),
    weight: 4,
  },
);

const transports: fc.Arbitrary<Transport> = fc.record({
  method: fc.constantFrom<'GET' | 'POST'>('POST', 'POST', 'POST', 'POST', 'POST', 'GET'),
  accept: fc.constantFrom(
    undefined,
    undefined,
    undefined,
    '*/*',
    'application/json',
    '',
    'application/graphql-response+json',
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
  ),
  preflight: fc.constantFrom(true, true, false),
  extensions: fc.oneof(
    {
      arbitrary: fc.constantFrom(undefined, {}, { clientLibrary: { name: 'differential' } }),
      weight: 9,
    },
    {
      arbitrary: fc.constant({ persistedQuery: { version: 1, sha256Hash: 'not-the-hash' } }),
      weight: 1,
    },
  ),
});

function requests(): fc.Arbitrary<Request> {
  return fc
    .constantFrom(REFOLD_DEMO_LINKED_ACCOUNT, undefined, ANOTHER_ACCOUNT)
    .chain((account) => {
      const pool = ids(account);
      return fc
        .tuple(
          lateFailure(pool).chain((late) => operation(pool, late)),
          flaws,
          fc.constantFrom<NameChoice>(
            'picked',
            'picked',
            'picked',
            'picked',
            'absent',
            'null',
            'other',
          ),
          transports,
        )
        .map(([op, flaw, choice, transport]) =>
          requestOf({ op, flaw, choice, transport, account }),
        );
    });
}

async function fastPathCount(): Promise<number> {
  return (await scrape(fast)).get(FAST_COUNTER) ?? 0;
}

describe('a generated request sent down both routes, and over WebSocket', () => {
  it('gets the same status, headers, body, log lines and metric deltas', async () => {
    const start = await fastPathCount();
    let sent = 0;
    /** WebSocket requests compared, by the message that answered them. */
    const overSocket = { next: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(requests(), async (generated) => {
        const probe = withRequestId(generated.probe, `differential-${++sent}`);
        const onFast = await observe(fast, probe);
        const onApollo = await observe(apollo, probe);
        expect(onFast.status, 'status').toBe(onApollo.status);
        expect(onFast.headers, 'headers').toEqual(onApollo.headers);
        expect(onFast.body, 'body').toBe(onApollo.body);
        expect(onFast.logs, 'log lines').toEqual(onApollo.logs);
        expect(onFast.unattributed, 'log lines without a request id').toEqual(
          onApollo.unattributed,
        );
        expect(onFast.metrics, 'metric deltas').toEqual(onApollo.metrics);
        if (!generated.socket) return;

        const onSocket = await observeSocket(socket, generated.socket, requestId(probe));
        const expected = socketMessagesFor(onFast.body);
        expect(onSocket.messages, 'WebSocket messages').toEqual(expected);
        overSocket[expected[0]!.type as 'next' | 'error']++;
        expect(onSocket.logs, 'WebSocket log lines').toEqual(onFast.logs);
        expect(onSocket.unattributed, 'WebSocket log lines without a request id').toEqual(
          onFast.unattributed,
        );
        expect(onSocket.metrics, 'WebSocket metric deltas').toEqual(onFast.metrics);
      }),
      { numRuns: 200 },
    );
    // Else the comparison could be of Apollo Server with itself.
    expect((await fastPathCount()) - start).toBeGreaterThanOrEqual(sent * 0.25);
    // Else WebSocket could have been compared with little or nothing.
    expect(overSocket.next).toBeGreaterThanOrEqual(sent * 0.4);
    expect(overSocket.error).toBeGreaterThanOrEqual(sent * 0.05);
  }, 120_000);
});
