import { z } from 'zod';
import { defineDatasource, type ExecutionRequest } from './datasource.js';
import { timestamp } from '../time.js';
import type { AttemptTrace } from '../telemetry/tracing-hooks.js';
import { Abort } from '../upstream/abort.js';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../upstream/http.js';

const link = z.object({ href: z.string(), method: z.string() }).loose();

/** The API sends `supports_cancellation` as the string "true"/"false"; a boolean is accepted too. */
const stringBoolean = z.union([
  z.boolean(),
  z.string().refine((value) => /^(true|false)$/i.test(value.trim()), 'not "true" or "false"'),
]);

/** `GET /api/v2/executions/{execution_id}`, as the CloudShell Sandbox API reference shows it. */
const execution = z
  .object({
    id: z.string().nullish(),
    supports_cancellation: stringBoolean.nullish(),
    started: timestamp.nullish(),
    ended: timestamp.nullish(),
    status: z.string().nullish(),
    output: z.string().nullish(),
    _links: z.object({ self: link, stop: link.nullish() }).loose(),
  })
  .loose();

export type CloudShellExecutionRaw = z.infer<typeof execution>;
export type LinkRaw = z.infer<typeof link>;

/** `PUT /api/login` answers with the token as a JSON string. */
const loginToken = z.string().min(1);

/** The GET for one execution: a fixed path template and the provider's auth headers. */
function executionRequest(
  nativeId: string,
  { token }: Readonly<Record<string, string>>,
): ExecutionRequest {
  return {
    path: `/api/v2/executions/${encodeURIComponent(nativeId)}`,
    headers: { authorization: `Basic ${token}`, accept: 'application/json' },
  };
}

/**
 * Quali CloudShell Sandbox API. Authenticates with `Authorization: Basic <token>`: a configured
 * `CLOUDSHELL_TOKEN`, or one obtained by logging in with username, password and domain, reused
 * until a 401, then renewed once.
 */
export const cloudShell = defineDatasource<CloudShellExecutionRaw>({
  key: 'cloudshell',
  name: 'CLOUDSHELL',
  env: 'CLOUDSHELL',
  credentials: [
    { name: 'token', env: 'TOKEN' },
    { name: 'username', env: 'USERNAME', secret: false },
    { name: 'password', env: 'PASSWORD' },
    { name: 'domain', env: 'DOMAIN', secret: false },
  ],
  checkCredentials({ token, username, password, domain }) {
    if (token) return undefined;
    if (username && password && domain) return undefined;
    return 'CLOUDSHELL_TOKEN, or all of CLOUDSHELL_USERNAME, CLOUDSHELL_PASSWORD and CLOUDSHELL_DOMAIN, must be set';
  },
  shape: execution,
  executionRequest,
  connect(upstream, credentials) {
    const session = sessionOf(upstream, credentials);
    return async (nativeId, scope) => {
      const response = await session.send(
        (token) => ({
          ...executionRequest(nativeId, { token }),
          what: 'such execution',
          abort: scope.abort,
        }),
        scope.abort.trace,
      );
      return upstream.validate(response, 'such execution', execution);
    };
  },
  stop: {
    // CloudShell offers `_links.stop` only while an execution can still be cancelled.
    offered: (raw) => Boolean(raw._links.stop),
    connect(upstream, credentials) {
      const session = sessionOf(upstream, credentials);
      return async (nativeId, _force, scope) => {
        const response = await session.send(
          (token) => ({
            method: 'DELETE',
            path: `/api/v2/executions/${encodeURIComponent(nativeId)}`,
            headers: { authorization: `Basic ${token}`, accept: 'application/json' },
            what: 'such execution',
            abort: scope.abort,
          }),
          scope.abort.trace,
        );
        upstream.validate(response, 'such execution', stopAnswer, 'stop');
      };
    },
  },
});

/** `DELETE /api/v2/executions/{id}` answers `{"result": "success"}`. */
const stopAnswer = z.object({ result: z.string() }).loose();

// One session per pool, shared by the fetcher and the stopper: one login, one token.
const sessions = new WeakMap<Upstream, Session>();

function sessionOf(upstream: Upstream, credentials: Readonly<Record<string, string>>): Session {
  let session = sessions.get(upstream);
  if (!session) {
    session = new Session(upstream, credentials);
    sessions.set(upstream, session);
  }
  return session;
}

/** The current token; concurrent callers share one login. */
class Session {
  private current: Promise<string> | undefined;
  readonly canLogIn: boolean;

  constructor(
    private readonly upstream: Upstream,
    private readonly credentials: Readonly<Record<string, string>>,
  ) {
    this.canLogIn = Boolean(credentials.username && credentials.password && credentials.domain);
    if (credentials.token) this.current = Promise.resolve(credentials.token);
  }

  /**
   * Sends the request `build` makes with the current token; on a 401, once more after a new
   * login. A login it makes is traced in `trace` (tracing on), the call's that needed it.
   */
  async send(
    build: (token: string) => UpstreamRequest,
    trace?: AttemptTrace,
  ): Promise<UpstreamResponse> {
    const token = await this.token(trace);
    const response = await this.upstream.send(build(token));
    if (response.status !== 401 || !this.canLogIn) return response;
    return this.upstream.send(build(await this.renew(token, trace)));
  }

  token(trace?: AttemptTrace): Promise<string> {
    this.current ??= this.logIn(trace);
    return this.current;
  }

  /** Logs in again unless another caller already replaced the token that was refused. */
  async renew(refused: string, trace?: AttemptTrace): Promise<string> {
    const current = this.current ? await this.current.catch(() => undefined) : undefined;
    if (current === undefined || current === refused) this.current = this.logIn(trace);
    return this.token(trace);
  }

  private logIn(trace: AttemptTrace | undefined): Promise<string> {
    const { username, password, domain } = this.credentials;
    // Shared by every request waiting for a token: its own deadline, not one request's.
    const abort = Abort.timeout(this.upstream.timeoutMs);
    abort.trace = trace;
    const login = this.upstream.get(
      {
        method: 'PUT',
        path: '/api/login',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username, password, domain }),
        what: 'login',
        abort,
      },
      loginToken,
    );
    // A failed login is not cached: the next request tries again.
    login.catch(() => {
      if (this.current === login) this.current = undefined;
    });
    return login;
  }
}
