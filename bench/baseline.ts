// The practical limit for Node on this machine: a plain node:http server that answers the
// benchmark's one-execution query by making the same upstream call with undici.request over a
// keep-alive pool and building the same JSON by hand. No GraphQL, no validation, no logging.
// For the fan-out query (`variables.ids`) it makes the same 100 calls at once and answers with
// the ids: the floor of any server that sits between a client and those calls.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { KEYS, upstreamCall, type Upstreams } from './upstreams.js';

const base = new URL(process.env.DURABLE_WORKFLOW_URL!);
const token = process.env.DURABLE_WORKFLOW_TOKEN!;
const pool = new Pool(base.origin, { connections: 32, keepAliveTimeout: 10_000 });
const upstreams = JSON.parse(process.env.BENCH_UPSTREAMS!) as Upstreams;
const fanOutPools = Object.fromEntries(
  KEYS.map((key) => [
    key,
    new Pool(new URL(upstreams[key]!.url!).origin, { connections: 32, keepAliveTimeout: 10_000 }),
  ]),
) as Record<string, Pool>;
const STATES: Record<string, string> = {
  pending: 'PENDING',
  running: 'RUNNING',
  completed: 'SUCCEEDED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

async function one(id: string): Promise<string> {
  const nativeId = id.slice(id.indexOf(':') + 1);
  const upstream = await pool.request({
    method: 'GET',
    path: `${base.pathname.replace(/\/$/, '')}/api/v1/executions/${encodeURIComponent(nativeId)}`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  const raw = (await upstream.body.json()) as { id: string; status: string; started_at?: string };
  return JSON.stringify({
    data: {
      execution: {
        id,
        state: STATES[raw.status.toLowerCase()] ?? 'UNKNOWN',
        startedAt: raw.started_at ? new Date(raw.started_at).toISOString() : null,
      },
    },
  });
}

async function fanOut(ids: string[]): Promise<string> {
  const executions = await Promise.all(
    ids.map(async (id) => {
      const [key, nativeId] = id.split(':') as [string, string];
      const { path, headers } = upstreamCall(key, nativeId, upstreams[key]!);
      const upstream = await fanOutPools[key]!.request({ method: 'GET', path, headers });
      const text = await upstream.body.text();
      if (upstream.statusCode !== 200) throw new Error(`${key} answered ${upstream.statusCode}`);
      JSON.parse(text);
      return { id };
    }),
  );
  return JSON.stringify({ data: { executions } });
}

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as {
    variables: { id?: string; ids?: string[] };
  };
  let body: string;
  try {
    body = variables.ids ? await fanOut(variables.ids) : await one(variables.id!);
  } catch (error) {
    // The bench sees the status and stops: the run broke.
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error));
    return;
  }
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
