import type {
  ApolloServerPlugin,
  GraphQLRequest,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from '@apollo/server';
import { ApolloServerPluginSubscriptionCallback } from '@apollo/server/plugin/subscriptionCallback';
import { getVariableValues, GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from '../config.js';
import { Channel } from '../executions/watch/channel.js';
import type { Watcher, WatchEvent } from '../executions/watch/watcher.js';
import type { Context } from '../graphql/context.js';
import type { OperationRunner } from '../graphql/runner.js';
import type { Logger } from '../telemetry/logger.js';
import { tracing } from '../telemetry/tracing-hooks.js';

/** Default 10000: how long one message to the router's callback URL may take. */
const CALLBACK_TIMEOUT_MS = 10_000;
/** Default 5: heartbeats that fail in a row (Apollo's own default) before the subscription ends. */
const MAX_HEARTBEAT_FAILURES = 5;
/** The longest heartbeat interval `setInterval` keeps; a longer one would fire every millisecond. */
const MAX_HEARTBEAT_MS = 2_147_483_647;
/** The shortest heartbeat interval a router may ask for, in ms; 0 turns heartbeats off. */
const MIN_HEARTBEAT_MS = 100;

/** What the callback protocol needs of the runner: its error formatter and its record step. */
type CallbackSteps = Pick<OperationRunner, 'formatError' | 'record'>;

/**
 * What the callback protocol is held to, as the configuration holds it (pass `Config`):
 * `transport.callbackUrlPrefixes` (`CALLBACK_URL_PREFIXES`), `transport.maxCallbackSubscriptions`
 * (`MAX_CALLBACK_SUBSCRIPTIONS`) and `routerSecret` (`ROUTER_SECRET`).
 */
export type CallbackRules = Pick<Config, 'routerSecret'> & {
  transport: Pick<Config['transport'], 'callbackUrlPrefixes' | 'maxCallbackSubscriptions'>;
};

/**
 * What the client is told whenever a callback subscription does not start for its callback URL:
 * one message, whatever the URL answered or whichever rule refused it, so the answer tells nothing
 * about what lies behind a URL (the reason goes to the log).
 */
export const CALLBACK_REFUSED =
  'The callback URL did not accept the subscription (or is not allowed here); the subscription did not start. Send the callback URL of a router that is waiting for this subscription.';

/** True for a request in Apollo's callback protocol, i.e. with `extensions.subscription`. */
export function isCallbackRequest(request: GraphQLRequest): boolean {
  return request.extensions?.subscription !== undefined;
}

/**
 * Subscriptions over Apollo's HTTP callback protocol (Router's callback mode), through Apollo
 * Server's own `ApolloServerPluginSubscriptionCallback`. A `POST /graphql` of a subscription with
 * `extensions.subscription { callbackUrl, subscriptionId, verifier, heartbeatIntervalMs }` is
 * answered `{"data":null}` once the router has accepted a `check` message at its callback URL;
 * each event then goes there as a `next` message, a `check` every `heartbeatIntervalMs`, and
 * `complete` (with the errors, if any) at the end. A router that answers 404 ends the
 * subscription, and with its last subscriber the poller.
 *
 * Around Apollo's plugin this step adds what the rest of the pipeline promises: the extension is
 * checked first (a clear 400, no callback, for a bad one), the plugin starts only for a request
 * that passed every other step (Apollo would run its `willSendResponse` on a refused request
 * too), errors in messages are formatted as every answer's are, and the record step runs when
 * the subscription ends. A subscription POST without the extension gets a 400 that says how to
 * subscribe.
 *
 * And what keeps the subgraph from posting where it should not (`rules`):
 * - a callback URL must start, as `new URL(...).href` writes it, with one of
 *   `CALLBACK_URL_PREFIXES`; with none set, any URL is taken only when `ROUTER_SECRET` is set
 *   (only the router reaches the subgraph then), and with neither every callback subscription is
 *   refused. A refused URL is answered 400 before any message is sent to it;
 * - no redirect is followed: a 3xx answer fails like any other;
 * - every refused or failed callback gets the same answer, `CALLBACK_REFUSED`;
 * - at most `MAX_CALLBACK_SUBSCRIPTIONS` run at once, counted from the moment one passes its
 *   checks until it ends; one more is 400 `BAD_USER_INPUT` with `extensions.limit`.
 */
export function callbackSubscriptions(
  steps: CallbackSteps,
  logger: Logger,
  rules: CallbackRules,
): ApolloServerPlugin<Context> {
  /** The subscriptions running or about to start, by callback URL (Apollo's plugin keys them so too). */
  const running = new Map<string, Running>();
  const max = rules.transport.maxCallbackSubscriptions;
  const format = (errors: unknown): GraphQLFormattedError[] | undefined =>
    Array.isArray(errors) ? errors.map((error) => formatMessageError(error, steps)) : undefined;

  const apollo = ApolloServerPluginSubscriptionCallback({
    logger,
    maxConsecutiveHeartbeatFailures: MAX_HEARTBEAT_FAILURES,
    // Every message passes here: its errors are formatted, `complete` ends the record.
    fetcher: async (url, init) => {
      // Every URL was checked before its first message; this keeps it so whatever calls here.
      const notAllowed = urlRefusal(url, rules);
      if (notAllowed) throw new Error(`The callback URL is refused: ${notAllowed}.`);
      const message = parseMessage(init?.body);
      const subscription = running.get(url);
      let body = typeof init?.body === 'string' ? init.body : undefined;
      if (message) {
        const payload = isRecord(message.payload) ? message.payload : undefined;
        const payloadErrors = format(payload?.errors);
        const errors = format(message.errors);
        if (payload && payloadErrors) payload.errors = payloadErrors;
        if (errors) message.errors = errors;
        body = JSON.stringify(message);
        subscription?.errors.push(...(payloadErrors ?? []), ...(errors ?? []));
        if (message.action === 'complete') subscription?.end();
      }
      const checking = subscription?.checking === true && message?.action === 'check';
      let response: Response;
      try {
        const send = () =>
          fetch(url, {
            method: init?.method ?? 'POST',
            headers: init?.headers,
            body,
            // A redirect could lead anywhere, past the prefixes: its 3xx is a failure (Apollo's
            // plugin gives up on a status below 500 other than 404, and counts it in a heartbeat).
            redirect: 'manual',
            signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
          });
        // Heartbeats and events are sent long after the request's trace ended: no span.
        response = await send();
      } catch (error) {
        if (checking) subscription.refusal = `could not be reached: ${causeOf(error)}`;
        throw error;
      }
      if (checking && !response.ok) {
        subscription.refusal = `answered ${response.status}`;
        // After a 404 to the first check Apollo's plugin would start the subscription anyway (it
        // only ends one that runs); a status it gives up on at once keeps it from starting.
        if (response.status === 404) {
          await response.body?.cancel();
          return new Response(null, { status: 400 });
        }
      }
      return response;
    },
  });

  return {
    async serverWillStart(service) {
      // Its drain on stop: outstanding subscriptions complete and heartbeats stop.
      return apollo.serverWillStart?.(service);
    },

    async requestDidStart(requestContext): Promise<GraphQLRequestListener<Context>> {
      const { request } = requestContext;
      if (!isCallbackRequest(request)) {
        return {
          async didResolveOperation({ operation }) {
            if (operation?.operation === 'subscription') throw badRequest(NO_CALLBACK);
          },
        };
      }
      const started = performance.now();
      // The request's span is the subscription's: it ends with its record, not with the answer.
      const { trace } = requestContext.contextValue;
      if (tracing && trace) tracing.hold(trace);
      const extension = callbackExtension(request.extensions?.subscription);
      const inner =
        typeof extension === 'string' ? undefined : await apollo.requestDidStart?.(requestContext);
      let passed = false;
      /** Its place among the running subscriptions, taken once it passed this step's checks. */
      let place: Running | undefined;
      return {
        // No `await` here: Apollo runs every plugin's hook at once, and one that throws sends the
        // answer; the place must be taken before then, so that `willSendResponse` gives it back.
        async didResolveOperation({ operation, schema, contextValue }) {
          if (typeof extension === 'string') throw badRequest(extension);
          const notAllowed = urlRefusal(extension.callbackUrl, rules);
          if (notAllowed) {
            logger.warn(
              { requestId: contextValue.requestId, reason: notAllowed },
              'callback subscription refused',
            );
            throw badRequest(CALLBACK_REFUSED);
          }
          // Apollo's plugin keeps its subscriptions by callback URL: a second one there would take
          // over the first one's heartbeats and end it, while the first kept running.
          if (running.has(extension.callbackUrl)) {
            throw badRequest(
              'A subscription to this extensions.subscription.callbackUrl is already running: give each subscription a callback URL of its own.',
            );
          }
          if (operation?.operation !== 'subscription') {
            throw badRequest(
              `extensions.subscription asks for Apollo's callback protocol, which is for a subscription; this request's operation is ${operation ? `a ${operation.operation}` : 'not in its document'}. Send it without extensions.subscription.`,
            );
          }
          // Variables that do not coerce are refused here, as Apollo refuses them for a query,
          // rather than after a check in a `complete` message.
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
            { maxErrors: 50 },
          );
          if (coerced.errors) {
            throw new GraphQLError(coerced.errors.map(({ message }) => message).join(' '), {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          if (running.size >= max) {
            throw new GraphQLError(
              `This service runs at most ${max} callback subscriptions at once (MAX_CALLBACK_SUBSCRIPTIONS); this one did not start. Try again once one has ended.`,
              { extensions: { code: 'BAD_USER_INPUT', limit: max, http: { status: 400 } } },
            );
          }
          const { callbackUrl } = extension;
          const taken = new Running(() => {
            if (running.get(callbackUrl) === taken) running.delete(callbackUrl);
          });
          running.set(callbackUrl, taken);
          place = taken;
        },
        async responseForOperation(context) {
          // Only now has the request passed every step before execution (limits included).
          passed = true;
          return (await inner?.responseForOperation?.(context)) ?? null;
        },
        async willSendResponse(context) {
          const record = (errors: readonly GraphQLFormattedError[]) =>
            steps.record(
              context.contextValue,
              { operationName: context.operationName, started, errors },
              'callback',
            );
          if (!passed || !inner?.willSendResponse || !place) {
            // Refused by a step after this one's checks: its place is given back.
            place?.end();
            return record(answerErrors(context));
          }
          const subscription = place;
          subscription.onEnd = () => record(subscription.errors);
          try {
            await inner.willSendResponse({
              ...context,
              contextValue: {
                ...context.contextValue,
                watcher: tracked(context.contextValue, subscription),
              },
            });
          } finally {
            subscription.checking = false;
          }
          const body = context.response.body;
          if (body.kind === 'single' && body.singleResult.errors) {
            // The router did not accept the check: nothing was started. What the URL answered is
            // for the log only: told to the client, it would map what the subgraph can reach.
            const reason =
              subscription.refusal ??
              `failed: ${body.singleResult.errors.map(({ message }) => message).join('; ')}`;
            logger.warn(
              { requestId: context.contextValue.requestId, reason },
              'callback subscription refused',
            );
            body.singleResult.errors = [
              { message: CALLBACK_REFUSED, extensions: { code: 'BAD_REQUEST' } },
            ];
            context.response.http.status = 400;
            subscription.errors.push(...body.singleResult.errors);
            subscription.end();
          }
        },
      };
    },
  };
}

/**
 * One callback subscription's place, from its checks until it ends: its errors, and its record
 * when it does.
 */
class Running {
  readonly errors: GraphQLFormattedError[] = [];
  /** True until the first `check` is answered; later ones are heartbeats. */
  checking = true;
  /** How the router's callback URL refused the first `check`, if it did (for the log). */
  refusal: string | undefined;
  /** Default none: what else its end does once it started (its record). */
  onEnd: (() => void) | undefined;
  private ended = false;

  constructor(private readonly release: () => void) {}

  /**
   * Once: when `complete` goes out, Apollo's plugin gave up (404, failing heartbeats), or it never
   * started. Its place is given back.
   */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.release();
    this.onEnd?.();
  }
}

/**
 * Undefined when the callback protocol may post to `url`; else why not, for the log: under one of
 * `CALLBACK_URL_PREFIXES` as `URL` writes it (the form `fetch` sends to), or, with no prefix set,
 * anywhere only when `ROUTER_SECRET` is set.
 */
function urlRefusal(url: string, rules: CallbackRules): string | undefined {
  const prefixes = rules.transport.callbackUrlPrefixes;
  if (prefixes.length === 0) {
    return rules.routerSecret
      ? undefined
      : 'neither CALLBACK_URL_PREFIXES nor ROUTER_SECRET is set, so no callback URL is allowed';
  }
  const href = URL.canParse(url) ? new URL(url).href : undefined;
  return href !== undefined && prefixes.some((prefix) => href.startsWith(prefix))
    ? undefined
    : 'the callback URL is not under CALLBACK_URL_PREFIXES';
}

/**
 * The context's watcher, its watches relayed so that one the subscriber leaves (Apollo's plugin
 * ends the subscription after a 404 or failing heartbeats, and sends no `complete`) ends the
 * subscription's record too. The resolvers call only `watch` on it.
 */
function tracked(context: Context, subscription: Running): Watcher {
  const watcher = context.watcher;
  const relaying = Object.create(watcher) as Watcher;
  relaying.watch = (loaders, id) => {
    const source = watcher.watch(loaders, id);
    const relay = new Channel<WatchEvent>();
    relay.onReturn = () => {
      void source.return();
      subscription.end();
    };
    void (async () => {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        relay.push(next.value);
      }
      relay.end();
    })();
    return relay;
  };
  return relaying;
}

interface CallbackExtension {
  callbackUrl: string;
}

/**
 * The extension's fields as Apollo's plugin reads them (camelCase, or Router's older
 * snake_case), checked; a string says what is wrong with it.
 */
function callbackExtension(value: unknown): CallbackExtension | string {
  const usage =
    'extensions.subscription needs callbackUrl (an http or https URL), subscriptionId and verifier (strings), and may have heartbeatIntervalMs';
  if (!isRecord(value)) return `${usage}; it is not an object.`;
  const callbackUrl = value.callbackUrl || value.callback_url;
  const id = value.subscriptionId || value.subscription_id;
  const heartbeat = value.heartbeatIntervalMs ?? value.heartbeat_interval_ms;
  let url: URL | undefined;
  try {
    url = typeof callbackUrl === 'string' ? new URL(callbackUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return `${usage}; callbackUrl is ${callbackUrl === undefined ? 'missing' : 'not an http or https URL'}.`;
  }
  if (typeof id !== 'string' || id === '') return `${usage}; subscriptionId is missing.`;
  if (typeof value.verifier !== 'string') return `${usage}; verifier is missing.`;
  if (
    heartbeat !== undefined &&
    !(
      heartbeat === 0 ||
      (Number.isInteger(heartbeat) &&
        (heartbeat as number) >= MIN_HEARTBEAT_MS &&
        (heartbeat as number) <= MAX_HEARTBEAT_MS)
    )
  ) {
    return `heartbeatIntervalMs must be 0 (no heartbeats) or a whole number of milliseconds from ${MIN_HEARTBEAT_MS} to ${MAX_HEARTBEAT_MS}; it is ${JSON.stringify(heartbeat)}.`;
  }
  return { callbackUrl: callbackUrl as string };
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });
}

const NO_CALLBACK =
  "A subscription over HTTP needs Apollo's callback protocol (extensions.subscription with callbackUrl, subscriptionId and verifier, as Apollo Router's callback mode sends). Or subscribe over WebSocket on /graphql with the graphql-transport-ws subprotocol.";

/** The errors the answer carries, as formatted for the client. */
function answerErrors(
  context: GraphQLRequestContextWillSendResponse<Context>,
): readonly GraphQLFormattedError[] {
  const body = context.response.body;
  return (body.kind === 'single' ? body.singleResult.errors : undefined) ?? context.errors ?? [];
}

interface CallbackMessage {
  action?: unknown;
  payload?: unknown;
  errors?: unknown;
  [key: string]: unknown;
}

function parseMessage(body: unknown): CallbackMessage | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An error of a message as every answer's errors are formatted (`formatErrors`): the plugin
 * serializes graphql-js's errors itself, so this sees their JSON; `extensions.code` defaults to
 * INTERNAL_SERVER_ERROR, whose message the formatter hides.
 */
function formatMessageError(error: unknown, steps: CallbackSteps): GraphQLFormattedError {
  try {
    const shape = isRecord(error) ? error : {};
    const { http: _http, ...extensions } = isRecord(shape.extensions) ? shape.extensions : {};
    const message = typeof shape.message === 'string' ? shape.message : 'Internal server error';
    const formatted: GraphQLFormattedError = {
      message,
      ...(Array.isArray(shape.locations)
        ? { locations: shape.locations as GraphQLFormattedError['locations'] }
        : {}),
      ...(Array.isArray(shape.path) ? { path: shape.path as Array<string | number> } : {}),
      extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' },
    };
    return steps.formatError(formatted, new GraphQLError(message));
  } catch {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}

/** A failed fetch in words, with its cause (`fetch failed` says nothing by itself), for the log. */
function causeOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? String(error) : `${String(error)} (${String(cause)})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
