import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** A misbehaviour to answer an execution request with instead of the normal answer. */
export type Fault =
  /** The provider's own error body for `status`; a 429 carries `Retry-After` when given. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** 200, `content-type: application/json`, a body that is not valid JSON. */
  | { kind: 'malformed' }
  /** 200, valid JSON that is not the documented shape (`{"unexpected":true}`). */
  | { kind: 'wrongShape' }
  /** 502 with a `text/html` error page, as a reverse proxy in front of the provider would send. */
  | { kind: 'html' }
  /** 200 whose `Content-Length` exceeds what is sent; then the socket is destroyed. */
  | { kind: 'truncated' }
  /** 200 with the normal body plus a `padding` string field, about `bytes` bytes in all. */
  | { kind: 'oversized'; bytes: number }
  /** Never answers; the request stays open until the client aborts or the simulator closes. */
  | { kind: 'hang' };

export interface SimRequest {
  method: string;
  /** The raw request URL as received (path and query, still percent-encoded). */
  url: string;
  /** The decoded execution id when the path matched the execution route, else null. */
  id: string | null;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  /** `performance.now()` when the response finished or the connection closed. */
  endedAt?: number;
  /**
   * The route template of a call that acts on an execution and answers stop faults (a stop),
   * e.g. `POST /x/{id}/cancel`; else null (a steps read or a rerun of an execution included).
   */
  action: string | null;
  /**
   * The route template of a request to any route besides the execution GET (lists, steps,
   * starts, stops, logins), e.g. `GET /x/{id}/history`; else null.
   */
  route: string | null;
  /**
   * True when the client went away before the response was complete. Responses the simulator
   * cuts on purpose (`truncated`, `close()`) are not counted as aborted.
   */
  aborted: boolean;
}

export interface SimulatorOptions {
  /** Default '127.0.0.1'. The interface to listen on. */
  host?: string;
  /** Default 0, an ephemeral port. */
  port?: number;
  /** Default '', no prefix. A path prefix in front of every route, e.g. '/gw'. */
  basePath?: string;
  /** Default 0. Milliseconds to wait before every answer. */
  latencyMs?: number;
  /**
   * Default 3000. Milliseconds a stopped execution takes to reach its stopped state (and each
   * further step of its provider's stop sequence).
   */
  stopDelayMs?: number;
  /**
   * Default 0, off. Milliseconds between the steps of the live executions (the seeded ones its
   * definition marks `live`) through their provider's `lifecycle`, so a watch has something to see.
   */
  stepMs?: number;
  /**
   * Default false: the live executions step from start-up. True: each one only from its first
   * read (a GET), so a demo looked at long after it started still has something to watch.
   */
  liveFromFirstRead?: boolean;
}

/** Options of `startSimulator`: the common options plus credential overrides. */
export interface StartOptions extends SimulatorOptions {
  /** Default: the definition's credentials. Entries given here replace them one by one. */
  credentials?: Partial<Record<string, string>>;
}

export interface Simulator {
  /** The provider's id prefix, as its datasource names it. */
  readonly provider: string;
  /** What it simulates: its routes, records and the credentials a client is configured with. */
  readonly definition: SimulatorDefinition;
  /** Base URL to configure the client with: `http://host:port` plus the basePath. */
  readonly url: string;
  /** What a client must be configured with (see each provider). */
  readonly credentials: Readonly<Record<string, string>>;
  /**
   * Native id -> the stored record answered with 200 for that id: the exact JSON body, unless
   * the definition's `respond` wraps it (in an envelope, say) at answer time. Tests may set and
   * delete entries.
   */
  readonly records: Map<string, unknown>;
  /** The sample executions created at start, in a stable order. */
  readonly seeded: ReadonlyArray<{ id: string; status: string }>;
  /**
   * Default empty. The older executions stored after the seeded ones (in `records`, not in
   * `seeded`, never live), for the provider's list call to page through; in a stable order.
   */
  readonly history: ReadonlyArray<{ id: string; status: string }>;
  /** Every request received, in arrival order (login requests included). */
  readonly requests: SimRequest[];
  /** Milliseconds to wait before every answer; may be changed at any time. */
  latencyMs: number;
  /** Milliseconds each step of a stop sequence takes; may be changed at any time. */
  stopDelayMs: number;
  /** Executions that move through the lifecycle on the clock (`stepMs`); tests may add ids. */
  readonly live: Set<string>;
  /** Moves an execution to the next status of its provider's lifecycle; false at its end. */
  advance(id: string): boolean;
  /** Requests currently being handled. */
  readonly inFlight: number;
  /** Highest `inFlight` seen since start or the last `reset()`. */
  readonly maxInFlight: number;
  /** TCP connections accepted since start or the last `reset()`. */
  readonly connections: number;
  /**
   * Default `times` 1, any id, `on` 'get'. Queues `fault` for the next `times` execution requests
   * (only those for `id` when given): GETs, with `on: 'stop'` the calls that act on an
   * execution, with `on: 'list'` the list calls (which name no id: a fault with an `id` never
   * answers one), with `on: 'steps'` the calls that read an execution's steps, with
   * `on: 'start'` the calls that start an execution (a rerun names the execution it reruns; a
   * start by workflow names none), with `on: 'stream'` the calls that open an event stream (they
   * name the execution the stream follows); `Infinity` keeps it until `clearFaults()`. Queued
   * faults apply in order. A fault that sends part of the normal answer (`truncated`,
   * `oversized`) makes the call first, so a start it cuts did start its execution.
   */
  inject(fault: Fault, options?: { times?: number; id?: string; on?: FaultTarget }): void;
  clearFaults(): void;
  /** Clears requests, faults and counters; restores latency and the seeded records. */
  reset(): void;
  /** Closes the server and destroys open sockets, hanging requests included. Idempotent. */
  close(): Promise<void>;
}

/** An error to answer in the provider's own error body. */
export interface ProviderError {
  status: number;
  message: string;
}

export interface SeedRecord {
  id: string;
  status: string;
  /** What `records` holds for this id. */
  record: unknown;
  /** Default false: it moves through the lifecycle on the simulator's clock. */
  live?: boolean;
}

/** What a route handler answers: a JSON body unless `text` or `stream` is given. */
export interface RouteReply {
  status: number;
  body?: unknown;
  text?: string;
  /** Default `application/json`; `text/plain` with `text`; `text/event-stream` with `stream`. */
  contentType?: string;
  /**
   * Default none. A response the route writes itself, for as long as it likes: called once the
   * status line and headers (`contentType`, `cache-control: no-cache`) are sent, with `cut`, to
   * call before it destroys the socket on purpose (so the request is not counted as aborted).
   */
  stream?(response: ServerResponse, cut: () => void): void;
}

/** What a route handler answers to be refused with the provider's own error body. */
export interface RouteRefusal {
  error: ProviderError;
}

export interface ExtraRoute {
  method: string;
  /** Path after the basePath, e.g. '/api/login'; `{id}` stands for one encoded path segment. */
  path: string;
  /**
   * Default false. True for a call that acts on the execution `{id}` names: faults injected
   * `on: 'stop'`, the provider's auth, a 404 for an unknown id and its ownership rules apply
   * first, as on the execution's GET.
   */
  acts?: boolean;
  /**
   * Default false. True for a list call: faults injected `on: 'list'`, then the provider's auth
   * apply first.
   */
  lists?: boolean;
  /**
   * Default: 'stop' for a route that acts, 'list' for a list, else none. The injected faults that
   * answer this route, e.g. 'steps' or 'start'. A route with a target that neither acts nor lists
   * is authorized like a list: its faults first, then the provider's auth.
   */
  on?: FaultTarget;
  /**
   * Default: the `{id}` of a route that acts, else none. The execution an injected fault's `id`
   * is compared with, e.g. the root execution that a topic names; null for none.
   */
  subject?(request: { id: string; query: URLSearchParams }): string | null;
  /** Default none. Called as a request for this route arrives, before latency, faults and auth. */
  received?(): void;
  handle(request: {
    headers: IncomingHttpHeaders;
    body: string;
    id: string;
    /** The request's query string, parsed. */
    query: URLSearchParams;
  }): RouteReply | RouteRefusal;
}

/**
 * Which calls an injected fault answers: execution GETs, calls that act (stops), lists, reads of
 * an execution's steps, starts (reruns), or event streams.
 */
export type FaultTarget = 'get' | 'stop' | 'list' | 'steps' | 'start' | 'stream';

/** The per-simulator part of a provider: auth, extra routes, extra members. */
export interface ProviderHooks<X extends object = object> {
  /** Returns the error to answer when the request's credentials are missing or wrong, else null. */
  authorize(headers: IncomingHttpHeaders): ProviderError | null;
  /** Default: none. A non-null result is answered instead of a stored record (ownership rules). */
  restrict?(id: string, headers: IncomingHttpHeaders): ProviderError | null;
  /** Default: none. Routes besides the execution route, e.g. a login. */
  routes?: ExtraRoute[];
  /** Default: none. Members copied (getters included) onto the returned simulator. */
  extension?: X;
  /** Default: none. Called by `reset()` to restore provider state. */
  reset?(): void;
  /** Default: none. Called after the lifecycle moved execution `id` to `status` (`advance`). */
  advanced?(id: string, status: string): void;
}

export interface SimulatorDefinition<X extends object = object> {
  /** The provider's id prefix, as its datasource names it. */
  readonly provider: string;
  /** The execution route; it ends with `{id}`, which stands for exactly one path segment. */
  readonly route: string;
  /** Default credentials a client must be configured with. */
  readonly credentials: Readonly<Record<string, string>>;
  /** Default all of `credentials`: the ones a client is configured with, e.g. a login over a token. */
  readonly clientCredentials?: readonly string[];
  /** Default none: request headers a GraphQL client sends for the seeded executions (the demo's). */
  readonly requestHeaders?: Readonly<Record<string, string>>;
  /** A small, valid execution with `status`, as `records` holds it, for tests and benchmarks. */
  record(id: string, status: string): unknown;
  /** Default none: the statuses an execution goes through on its own, first to last. */
  readonly lifecycle?: readonly string[];
  /** Default: `record.status`. Sets a stored record's status (and what goes with it, e.g. an end). */
  setStatus?(record: unknown, status: string): void;
  /** Default: `record.status`. */
  statusOf?(record: unknown): string;
  /** Fresh seed records in a stable order; called at start and on every `reset()`. */
  seed(): SeedRecord[];
  /**
   * Default none. Fresh records stored after the seeded ones, in a stable order, but not in
   * `seeded` (and never live): the older executions a list call pages through. Called at start and
   * on every `reset()`.
   */
  history?(): SeedRecord[];
  /** The provider's own error body; `requestId` equals the `x-request-id` header. */
  errorBody(error: ProviderError, requestId: string): unknown;
  /** Default: the record itself. The 200 body for a stored record. */
  respond?(record: unknown, requestId: string): unknown;
  /** Creates the per-simulator hooks. */
  attach(context: {
    credentials: Readonly<Record<string, string>>;
    records: Map<string, unknown>;
    /** Runs `step` after the simulator's `stopDelayMs`, unless it is reset or closed first. */
    later(step: () => void): void;
    /**
     * Moves execution `id` (one a call just created) through the lifecycle from its status, on
     * the simulator's clock: every `stepMs` with the live ones (from now, even with
     * `liveFromFirstRead`) when `stepMs` is set, else one status every `stopDelayMs` (`later`).
     */
    progress(id: string): void;
  }): ProviderHooks<X>;
}

/** Returns the first value of a request header, or undefined when it is absent or empty. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** Returns the credential of an `Authorization: <scheme> <credential>` header, else undefined. */
export function authorization(headers: IncomingHttpHeaders, scheme: string): string | undefined {
  const match = /^(\S+)\s+(\S.*)$/.exec(header(headers, 'authorization') ?? '');
  return match && match[1]!.toLowerCase() === scheme.toLowerCase() ? match[2]!.trim() : undefined;
}

/** An `authorize` hook for `Authorization: Bearer <token>`, with the provider's own 401 messages. */
export function bearer(token: string | undefined, messages: { missing: string; invalid: string }) {
  return (headers: IncomingHttpHeaders): ProviderError | null => {
    const given = authorization(headers, 'Bearer');
    if (given === undefined) return { status: 401, message: messages.missing };
    return given === token ? null : { status: 401, message: messages.invalid };
  };
}

/** The standard reason phrase of `status`, e.g. 'Not Found'. */
export function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

const HTML_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

interface QueuedFault {
  fault: Fault;
  remaining: number;
  id?: string;
  on: FaultTarget;
}

type RouteMatch = { kind: 'execution'; id: string | null } | { kind: 'other' };

/** Starts a provider simulator on loopback and resolves once it listens. */
export async function startSimulator<X extends object>(
  def: SimulatorDefinition<X>,
  options: StartOptions = {},
): Promise<Simulator & X> {
  const host = options.host ?? '127.0.0.1';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const startLatency = options.latencyMs ?? 0;
  if (!def.route.endsWith('{id}')) {
    throw new TypeError(`Simulator route must end with {id}, got '${def.route}'.`);
  }
  const prefix = basePath + def.route.slice(0, -'{id}'.length);

  const credentials: Record<string, string> = { ...def.credentials };
  for (const [key, value] of Object.entries(options.credentials ?? {})) {
    if (value !== undefined) credentials[key] = value;
  }
  Object.freeze(credentials);

  const records = new Map<string, unknown>();
  const reseed = (): void => {
    records.clear();
    for (const { id, record } of def.seed()) records.set(id, record);
    for (const { id, record } of def.history?.() ?? []) records.set(id, record);
  };
  const summary = (seeds: SeedRecord[]) =>
    Object.freeze(seeds.map(({ id, status }) => Object.freeze({ id, status })));
  const seeded = summary(def.seed());
  const history = summary(def.history?.() ?? []);
  reseed();

  const timers = new Set<NodeJS.Timeout>();
  const later = (step: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      step();
    }, sim.stopDelayMs);
    timers.add(timer);
  };
  const clearTimers = (): void => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  const live = new Set<string>();
  /** The live executions read once (with `liveFromFirstRead`): only their clocks run. */
  const read = new Set<string>();
  const stepping = (options.stepMs ?? 0) > 0;
  const progress = (id: string): void => {
    if (stepping) {
      live.add(id);
      read.add(id);
      return;
    }
    const step = () => {
      if (advance(id)) later(step);
    };
    later(step);
  };
  const hooks = def.attach({ credentials, records, later, progress });
  const statusOf = def.statusOf ?? ((record: unknown) => (record as { status: string }).status);
  const setStatus =
    def.setStatus ??
    ((record: unknown, status: string) => void ((record as { status: string }).status = status));
  const advance = (id: string): boolean => {
    const record = records.get(id);
    const lifecycle = def.lifecycle ?? [];
    const at = record === undefined ? -1 : lifecycle.indexOf(statusOf(record));
    if (at < 0 || at === lifecycle.length - 1) return false;
    setStatus(record, lifecycle[at + 1]!);
    hooks.advanced?.(id, lifecycle[at + 1]!);
    return true;
  };
  const markLive = () => {
    live.clear();
    read.clear();
    for (const seed of def.seed()) if (seed.live) live.add(seed.id);
  };
  markLive();
  const clock = stepping
    ? setInterval(() => {
        for (const id of live) if (!options.liveFromFirstRead || read.has(id)) advance(id);
      }, options.stepMs).unref()
    : undefined;
  const extraRoutes = (hooks.routes ?? []).map((route) => ({
    route,
    pattern: new RegExp(
      `^${escapeRegExp(basePath + route.path).replace(escapeRegExp('{id}'), '([^/]+)')}$`,
    ),
  }));
  const requests: SimRequest[] = [];
  const faults: QueuedFault[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  let connections = 0;
  let closing = false;
  let onIdle: (() => void) | undefined;

  const match = (path: string): RouteMatch => {
    if (!path.startsWith(prefix)) return { kind: 'other' };
    const raw = path.slice(prefix.length);
    if (raw === '' || raw.includes('/')) return { kind: 'other' };
    try {
      return { kind: 'execution', id: decodeURIComponent(raw) };
    } catch {
      return { kind: 'execution', id: null };
    }
  };

  /** The next fault queued for a call `on` the execution `id` (null: a list, which names none). */
  const takeFault = (id: string | null, on: FaultTarget): Fault | undefined => {
    const index = faults.findIndex(
      (queued) => queued.on === on && (queued.id === undefined || queued.id === id),
    );
    if (index < 0) return undefined;
    const queued = faults[index]!;
    queued.remaining -= 1;
    if (queued.remaining <= 0) faults.splice(index, 1);
    return queued.fault;
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown, extra = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...extra,
    });
    res.end(text);
  };

  const sendError = (res: ServerResponse, error: ProviderError, requestId: string, extra = {}) =>
    sendJson(res, error.status, def.errorBody(error, requestId), extra);

  /** Answers `fault`; `answer` gives the normal body, for the faults that send some of it. */
  async function applyFault(
    res: ServerResponse,
    fault: Fault,
    answer: () => unknown,
    requestId: string,
    isClosed: () => boolean,
    cut: () => void,
  ): Promise<void> {
    switch (fault.kind) {
      case 'status': {
        const extra =
          fault.retryAfterSeconds !== undefined
            ? { 'retry-after': String(fault.retryAfterSeconds) }
            : {};
        return sendError(
          res,
          { status: fault.status, message: reason(fault.status) },
          requestId,
          extra,
        );
      }
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"id": ');
      case 'wrongShape':
        return sendJson(res, 200, { unexpected: true });
      case 'html':
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end(HTML_PAGE);
      case 'truncated': {
        const text = JSON.stringify(answer());
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text) + 64,
        });
        cut();
        res.write(text.slice(0, Math.ceil(text.length / 2)), () => res.socket?.destroy());
        return;
      }
      case 'oversized':
        return sendPadded(res, answer(), fault.bytes, isClosed);
      case 'hang':
        return;
    }
  }

  /** The provider's auth, a 404 for an unknown id, then its ownership rules; null when allowed. */
  function refusal(id: string, headers: IncomingHttpHeaders): ProviderError | null {
    const denied = hooks.authorize(headers);
    if (denied) return denied;
    if (!records.has(id)) return { status: 404, message: `Execution '${id}' was not found` };
    return hooks.restrict?.(id, headers) ?? null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: SimRequest) {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    let closed = false;
    let cutByServer = false;
    res.once('close', () => {
      closed = true;
      inFlight -= 1;
      entry.endedAt = performance.now();
      entry.aborted = !res.writableFinished && !cutByServer && !closing;
      if (inFlight === 0) onIdle?.();
    });
    const cut = () => void (cutByServer = true);
    /** A queued fault, or the provider's refusal (auth, 404, ownership), answered; else false. */
    const answeredFirst = async (id: string, on: FaultTarget): Promise<boolean> => {
      const fault = takeFault(id, on);
      if (fault) {
        const answer = (): unknown => {
          if (!records.has(id)) return { id };
          const record = records.get(id);
          return def.respond ? def.respond(record, requestId) : record;
        };
        await applyFault(res, fault, answer, requestId, () => closed, cut);
        return true;
      }
      const refused = refusal(id, req.headers);
      if (refused) sendError(res, refused, requestId);
      return refused !== null;
    };
    const [path = '/', search = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const route = match(path);
    if (route.kind === 'execution' && req.method === 'GET') entry.id = route.id;
    let found: { route: ExtraRoute; segment: string } | undefined;
    if (route.kind === 'other' || req.method !== 'GET') {
      for (const { route: extra, pattern } of extraRoutes) {
        const matched = extra.method === req.method ? pattern.exec(path) : null;
        if (matched) found = { route: extra, segment: matched[1] ?? '' };
        if (found) break;
      }
    }
    found?.route.received?.();

    try {
      if (!(await pause(sim.latencyMs, res))) return;
      if (route.kind === 'other' || req.method !== 'GET') {
        if (!found) {
          return sendError(
            res,
            { status: 404, message: `No route for ${req.method} ${path}` },
            requestId,
          );
        }
        const { route: extra, segment } = found;
        let id = '';
        try {
          id = decodeURIComponent(segment);
        } catch {
          return sendError(res, { status: 400, message: `Malformed id in ${path}` }, requestId);
        }
        const target = extra.on ?? (extra.acts ? 'stop' : extra.lists ? 'list' : undefined);
        entry.route = `${extra.method} ${extra.path}`;
        if (extra.acts && target === 'stop') {
          entry.action = entry.route;
          if (await answeredFirst(id, 'stop')) return;
        }
        const query = new URLSearchParams(search);
        const body = await readBody(req);
        const reply = () => extra.handle({ headers: req.headers, body, id, query });
        if (target !== undefined && !(extra.acts && target === 'stop')) {
          // Auth, then (for a call on an execution) its 404 and ownership rules.
          const refused = () =>
            extra.acts ? refusal(id, req.headers) : hooks.authorize(req.headers);
          const subject = extra.subject ? extra.subject({ id, query }) : extra.acts ? id : null;
          const fault = takeFault(subject, target);
          if (fault) {
            const answer = () => {
              const denied = refused();
              if (denied) return def.errorBody(denied, requestId);
              const normal = reply();
              if ('error' in normal) return def.errorBody(normal.error, requestId);
              return normal.body ?? null;
            };
            return await applyFault(res, fault, answer, requestId, () => closed, cut);
          }
          const denied = refused();
          if (denied) return sendError(res, denied, requestId);
        }
        const answer = reply();
        if ('error' in answer) return sendError(res, answer.error, requestId);
        if (answer.stream) {
          res.writeHead(answer.status, {
            'content-type': answer.contentType ?? 'text/event-stream',
            'cache-control': 'no-cache',
          });
          res.flushHeaders();
          return answer.stream(res, cut);
        }
        if (answer.text === undefined) return sendJson(res, answer.status, answer.body);
        res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain' });
        return void res.end(answer.text);
      }
      const id = route.id;
      if (id === null) {
        return sendError(
          res,
          { status: 400, message: `Malformed execution id in ${path}` },
          requestId,
        );
      }
      if (await answeredFirst(id, 'get')) return;
      if (live.has(id)) read.add(id);
      const record = records.get(id);
      sendJson(res, 200, def.respond ? def.respond(record, requestId) : record);
    } catch (error) {
      if (res.headersSent || closed) return void res.destroy();
      const message = `Simulator failure: ${error instanceof Error ? error.message : String(error)}`;
      try {
        sendError(res, { status: 500, message }, requestId);
      } catch {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(message);
      }
    }
  }

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const entry: SimRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      id: null,
      action: null,
      route: null,
      headers: req.headers,
      startedAt: performance.now(),
      aborted: false,
    };
    requests.push(entry);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    void handle(req, res, entry);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let closePromise: Promise<void> | undefined;

  const sim: Simulator = {
    provider: def.provider,
    definition: def as SimulatorDefinition,
    url: `http://${hostPart}:${port}${basePath}`,
    credentials,
    records,
    seeded,
    history,
    requests,
    latencyMs: startLatency,
    stopDelayMs: options.stopDelayMs ?? 3000,
    live,
    advance,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get connections() {
      return connections;
    },
    inject(fault, { times = 1, id, on = 'get' } = {}) {
      if (!(times > 0)) throw new RangeError(`inject: times must be > 0, got ${times}.`);
      faults.push(
        id === undefined ? { fault, remaining: times, on } : { fault, remaining: times, id, on },
      );
    },
    clearFaults() {
      faults.length = 0;
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
      maxInFlight = inFlight;
      connections = 0;
      sim.latencyMs = startLatency;
      sim.stopDelayMs = options.stopDelayMs ?? 3000;
      clearTimers();
      reseed();
      markLive();
      hooks.reset?.();
    },
    close() {
      closePromise ??= new Promise<void>((resolve) => {
        closing = true;
        clearTimers();
        clearInterval(clock);
        server.close(() => {
          // Sockets close before their responses emit 'close'; wait so counters are final.
          if (inFlight === 0) resolve();
          else onIdle = resolve;
        });
        for (const socket of sockets) socket.destroy();
      });
      return closePromise;
    },
  };
  if (hooks.extension) {
    Object.defineProperties(sim, Object.getOwnPropertyDescriptors(hooks.extension));
  }
  return sim as Simulator & X;
}

/** Resolves true after `ms`, or false as soon as the response closes (no timer is left behind). */
function pause(ms: number, res: ServerResponse): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new RangeError(`Request body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Streams `body` with a `padding` field so the whole is about `bytes` bytes, honouring backpressure. */
async function sendPadded(
  res: ServerResponse,
  body: unknown,
  bytes: number,
  isClosed: () => boolean,
): Promise<void> {
  const json = JSON.stringify(body);
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  const head = isObject && json !== '{}' ? `${json.slice(0, -1)},"padding":"` : '{"padding":"';
  const tail = '"}';
  let left = Math.max(0, bytes - Buffer.byteLength(head) - tail.length);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(head) + left + tail.length,
  });
  res.write(head);
  const chunk = 'x'.repeat(64 * 1024);
  while (left > 0) {
    if (isClosed()) return;
    const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
    left -= piece.length;
    if (!res.write(piece)) await drained(res);
  }
  if (!isClosed()) res.end(tail);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
