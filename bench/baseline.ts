// The practical limit for Node on this machine: a plain node:http server that answers the
// benchmark's one-execution query by making the same upstream call with undici.request over a
// keep-alive pool and building the same JSON by hand. No GraphQL, no validation, no logging.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const base = new URL(process.env.DURABLE_WORKFLOW_URL!);
const token = process.env.DURABLE_WORKFLOW_TOKEN!;
const pool = new Pool(base.origin, { connections: 32, keepAliveTimeout: 10_000 });
const STATES: Record<string, string> = {
  pending: 'PENDING',
  running: 'RUNNING',
  completed: 'SUCCEEDED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as {
    variables: { id: string };
  };
  const nativeId = variables.id.slice(variables.id.indexOf(':') + 1);
  const upstream = await pool.request({
    method: 'GET',
    path: `${base.pathname.replace(/\/$/, '')}/api/v1/executions/${encodeURIComponent(nativeId)}`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  const raw = (await upstream.body.json()) as { id: string; status: string; started_at?: string };
  const body = JSON.stringify({
    data: {
      execution: {
        id: variables.id,
        state: STATES[raw.status.toLowerCase()] ?? 'UNKNOWN',
        startedAt: raw.started_at ? new Date(raw.started_at).toISOString() : null,
      },
    },
  });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
