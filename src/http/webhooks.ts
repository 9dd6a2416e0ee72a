import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import type { Executions } from '../executions/executions.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { headerReader, readBody } from './request.js';

/** The largest webhook body accepted. */
const MAX_WEBHOOK_BYTES = 64 * 1024;

/** Answers one webhook POST. */
export type WebhookRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The webhook routes of the configured providers that push (docs/live-status.md), by path: each
 * verifies a POST's signature over its raw body (401 when it fails, nothing changes), and a
 * verified one that names a watched execution fetches it now for its subscribers (and stores it
 * when finished); any other is 200 and ignored. Bodies over 64 KiB are 413. These paths need no
 * router secret: the provider's signature is their authentication.
 */
export function webhookRoutes(
  executions: Executions,
  config: Config,
  logger: Logger,
  metrics: Metrics,
): ReadonlyMap<string, WebhookRoute> {
  const routes = new Map<string, WebhookRoute>();
  for (const connected of executions.providers.configured()) {
    const { datasource } = connected.provider;
    const credentials = config.providers.get(datasource.key)?.credentials ?? {};
    const path = datasource.webhook?.path(credentials);
    if (!datasource.webhook || !path) continue;
    const webhook = datasource.webhook;
    const count = (outcome: string) => metrics.webhooks.inc({ provider: datasource.name, outcome });
    routes.set(path, async (req, res) => {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return answer(res, 405, { error: `POST ${datasource.name}'s webhooks here.` });
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      const body =
        declared > MAX_WEBHOOK_BYTES ? undefined : await readBody(req, MAX_WEBHOOK_BYTES);
      if (body === undefined) {
        count('too_large');
        res.setHeader('connection', 'close');
        return answer(res, 413, { error: `A webhook body is at most ${MAX_WEBHOOK_BYTES} bytes.` });
      }
      const notice = webhook.read(body, headerReader(req.headers), credentials);
      if (notice.kind === 'refused') {
        count('refused');
        // Nothing of the body or its signature: they may be anyone's.
        logger.warn({ provider: datasource.name, reason: notice.reason }, 'webhook refused');
        return answer(res, 401, { error: 'The webhook signature does not verify.' });
      }
      if (notice.kind === 'ignored') {
        count('ignored');
        return answer(res, 200, { status: 'ignored' });
      }
      const outcome = executions.watcher.poke(datasource.key, notice.nativeId, notice.header);
      count(outcome === 'fetching' ? 'fetched' : outcome);
      // Forwarded: another replica may watch it (through Redis); it fetches if it does.
      return answer(res, 200, { status: outcome === 'unwatched' ? 'ignored' : outcome });
    });
  }
  return routes;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
