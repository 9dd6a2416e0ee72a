import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHeaders } from '../../src/demo.js';
import { providers } from '../../src/providers.js';
import type { Simulator } from '../../src/simulators/index.js';
import { startHarness, type Harness } from '../harness.js';
import { launchChromium } from '../programs.js';

const DEMO_HEADERS = await demoHeaders();

const CONSOLE = fileURLToPath(new URL('../../examples/console/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

/** The built console, served as files on loopback: the page's own origin. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(dir, path === '/' ? 'index.html' : path);
    stat(file).then(
      (found) => {
        if (!found.isFile()) throw new Error('not a file');
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
      },
      () => {
        res.writeHead(404).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let out: string;
let site: { server: Server; url: string };
let h: Harness;
let browser: Browser;
/** The live execution of every provider (one per type), and two more. */
let live: string[];
const STOPPABLE = 'durable:wf_root_1';
const MISSING = 'payment:missing';
const ids = () => [...live, STOPPABLE, MISSING];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'console-'));
  site = await serve(out);
  h = await startHarness(
    {
      CORS_ORIGINS: site.url,
      MUTATIONS: 'true',
      WATCH_INTERVAL_MS: '100',
      WATCH_MAX_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
    },
    // Slow enough for the page to show the first state, fast enough for a short test.
    // A stop takes 3 s to finish: long enough to see STOPPING on a loaded machine.
    { stepMs: 1500, stopDelayMs: 3000 },
  );
  live = providers.map(({ datasource: { key } }) => `${key}:${[...h.sims[key]!.live][0]}`);
  // As a frontend team builds it: Vite, with the API's URL and the demo's header in its env.
  const env = {
    VITE_GRAPHQL_URL: `${h.app.url}/graphql`,
    VITE_GRAPHQL_HEADERS: JSON.stringify(DEMO_HEADERS),
    VITE_SAMPLE_IDS: ids().join(','),
    // Vitest runs with NODE_ENV=test, and Vite would build React's development bundle.
    NODE_ENV: 'production',
  };
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    await build({
      configFile: join(CONSOLE, 'vite.config.ts'),
      build: { outDir: out, emptyOutDir: true },
      logLevel: 'warn',
    });
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
  site?.server.close();
  if (out) await rm(out, { recursive: true, force: true });
});

/**
 * The console showing `ids()`, with every request and WebSocket the page opens recorded.
 * `held` live executions stay where they were seeded until the caller adds them back to `live`.
 */
async function open(held: string[] = []): Promise<{ page: Page; requested: string[] }> {
  h.reset();
  for (const id of held) h.sims[id.split(':')[0]!]!.live.delete(id.split(':')[1]!);
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('websocket', (socket) => requested.push(socket.url()));
  await page.goto(`${site.url}/?ids=${encodeURIComponent(ids().join(','))}`);
  await page
    .locator('tbody tr')
    .nth(ids().length - 1)
    .waitFor();
  return { page, requested };
}

const row = (page: Page, id: string) => page.locator(`tbody tr[data-id="${id}"]`);
const stateOf = (page: Page, id: string) => row(page, id).getAttribute('data-state');

describe('the executions console in Chromium', () => {
  it('shows every type with its own fields, and a NOT_FOUND id with its error', async () => {
    const { page } = await open();
    try {
      expect(await page.locator('tbody tr').count()).toBe(ids().length);
      for (const [i, { type }] of providers.entries()) {
        const label = type.typename.replace(/Execution$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
        await expect.poll(() => row(page, live[i]!).locator('.type').textContent()).toBe(label);
      }
      expect(await row(page, 'durable:wf_live_1').locator('.details').textContent()).toContain(
        'retries0',
      );
      expect(await row(page, STOPPABLE).locator('.details').textContent()).toContain('workflow');
      const failed = row(page, MISSING);
      expect(await failed.getAttribute('class')).toBe('failed');
      expect(await failed.locator('.code').textContent()).toBe('NOT_FOUND');
      const direct = await h.query('query($id: ID!) { execution(id: $id) { id } }', {
        id: MISSING,
      });
      expect(direct.body.errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
      expect(await failed.locator('.message').textContent()).toBe(direct.body.errors![0]!.message);
      await page.screenshot({ path: join(ARTIFACTS, 'console.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('changes a running execution state on screen, without a reload', async () => {
    const id = 'durable:wf_live_1';
    const { page } = await open([id]);
    try {
      let loads = 0;
      page.on('load', () => loads++);
      expect(await stateOf(page, id)).toBe('PENDING');
      // Its clock starts now: queued, running, completed, one step each stepMs.
      h.sims.durable!.live.add('wf_live_1');
      await expect.poll(() => stateOf(page, id), { timeout: 10_000 }).toBe('RUNNING');
      await expect.poll(() => stateOf(page, id), { timeout: 10_000 }).toBe('SUCCEEDED');
      expect(loads).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('stops an execution: STOPPING, then CANCELLED, and the Stop button goes', async () => {
    const { page } = await open();
    try {
      expect(await stateOf(page, STOPPABLE)).toBe('RUNNING');
      // No Stop where canStop is false: the failed one, and a payment (no stop call).
      expect(await row(page, MISSING).getByRole('button').count()).toBe(0);
      await row(page, STOPPABLE).getByRole('button', { name: 'Stop' }).click();
      await expect.poll(() => stateOf(page, STOPPABLE), { timeout: 10_000 }).toBe('STOPPING');
      // Asked once: while it winds down the button says so and cannot be clicked again.
      const winding = row(page, STOPPABLE).getByRole('button', { name: 'Stopping…' });
      expect(await winding.isDisabled()).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'console-stopping.png'), fullPage: true });
      await expect.poll(() => stateOf(page, STOPPABLE), { timeout: 10_000 }).toBe('CANCELLED');
      expect(await row(page, STOPPABLE).getByRole('button', { name: /^Stop/ }).count()).toBe(0);
      expect(h.sims.durable!.requests.filter(({ method }) => method === 'POST')).toHaveLength(1);
      await page.screenshot({ path: join(ARTIFACTS, 'console-cancelled.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('sends no request outside its own origin and the API', async () => {
    const { page, requested } = await open();
    try {
      // Until the live updates have come in over the WebSocket.
      await expect
        .poll(() => stateOf(page, 'durable:wf_live_1'), { timeout: 10_000 })
        .toBe('SUCCEEDED');
      const api = new URL(h.app.url);
      const allowed = [site.url, api.origin, `ws://${api.host}`];
      const origins = [...new Set(requested.map((url) => new URL(url).origin))];
      expect(origins.toSorted()).toEqual(allowed.toSorted());
    } finally {
      await page.close();
    }
  });
});

/** The API's pages of the search, as the console asks for them (20 at a time). */
const SEARCH = `query ($filter: ExecutionFilter, $after: String) {
  searchExecutions(filter: $filter, first: 20, after: $after) {
    edges { node { id } }
    pageInfo { hasNextPage endCursor }
    providers { provider searched code message }
  }
}`;
interface SearchPage {
  edges: Array<{ node: { id: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  providers: Array<{ provider: string; searched: boolean; code: string | null; message: string }>;
}
async function search(filter?: Record<string, unknown>, after?: string): Promise<SearchPage> {
  const { body } = await h.query<{ searchExecutions: SearchPage }>(SEARCH, { filter, after });
  expect(body.errors).toBeUndefined();
  return body.data!.searchExecutions;
}

/**
 * The console as it opens, on Recent. Every live execution is held where it was seeded (so the
 * page and the API agree on states) until the test lets it go; `held` has their global ids.
 */
async function openRecent(): Promise<{ page: Page; held: string[] }> {
  h.reset();
  const held = Object.entries(h.sims).flatMap(([key, sim]) => {
    const ids = [...sim.live].map((id) => `${key}:${id}`);
    sim.live.clear();
    return ids;
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  await page.goto(`${site.url}/`);
  // Rows, or what the page says instead of them.
  await page.locator('table.recent tbody tr, .banner, .empty').first().waitFor({ timeout: 10_000 });
  expect(await page.locator('.banner').allTextContents()).toEqual([]);
  return { page, held };
}

const recentRows = (page: Page) => page.locator('table.recent tbody tr');
/** The rows of the Recent view: id, state and the created time they show, top to bottom. */
const shown = (page: Page) =>
  recentRows(page).evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-id')!,
      state: row.getAttribute('data-state')!,
      created: row.querySelector('time')?.getAttribute('datetime') ?? null,
    })),
  );
function expectNewestFirst(rows: Array<{ created: string | null }>): void {
  const times = rows.map(({ created }) => Date.parse(created ?? ''));
  expect(times.every((time) => Number.isFinite(time))).toBe(true);
  for (let i = 1; i < times.length; i++) expect(times[i]!).toBeLessThanOrEqual(times[i - 1]!);
}

describe('the Recent view in Chromium', () => {
  it('opens on the newest executions first, as the API pages them, with a notice per provider not searched', async () => {
    const { page } = await openRecent();
    try {
      expect(await page.getByRole('tab', { name: 'Recent' }).getAttribute('aria-selected')).toBe(
        'true',
      );
      const rows = await shown(page);
      const api = await search();
      expect(rows.map(({ id }) => id)).toEqual(api.edges.map(({ node }) => node.id));
      expect(rows.length).toBeGreaterThan(0);
      expectNewestFirst(rows);
      const skipped = api.providers.filter(({ searched }) => !searched);
      expect(skipped.length).toBeGreaterThan(0);
      expect(await page.locator('.notice').count()).toBe(skipped.length);
      for (const { provider, code, message } of skipped) {
        const notice = await page.locator(`.notice[data-provider="${provider}"]`).textContent();
        expect(notice).toContain(`${provider}: ${code!.toLowerCase().replaceAll('_', ' ')}`);
        expect(notice).toContain(message);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'console-recent.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('loads the next page with Load more: more rows, none repeated, still newest first', async () => {
    const { page } = await openRecent();
    try {
      const first = await shown(page);
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => recentRows(page).count()).toBeGreaterThan(first.length);
      const rows = await shown(page);
      const ids = rows.map(({ id }) => id);
      expect(rows.slice(0, first.length)).toEqual(first);
      expect(new Set(ids).size).toBe(ids.length);
      expectNewestFirst(rows);
      const api = await search();
      const next = await search(undefined, api.pageInfo.endCursor!);
      expect(ids.slice(first.length)).toEqual(next.edges.map(({ node }) => node.id));
    } finally {
      await page.close();
    }
  });

  it('filters by state from the first page: only FAILED rows', async () => {
    const { page } = await openRecent();
    try {
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => recentRows(page).count()).toBeGreaterThan(20);
      await page.getByRole('checkbox', { name: 'FAILED' }).check();
      await expect
        .poll(async () => {
          const rows = await shown(page);
          return rows.length > 0 && rows.every(({ state }) => state === 'FAILED');
        })
        .toBe(true);
      const rows = await shown(page);
      const api = await search({ states: ['FAILED'] });
      expect(rows.map(({ id }) => id)).toEqual(api.edges.map(({ node }) => node.id));
      expectNewestFirst(rows);
      await page.screenshot({
        path: join(ARTIFACTS, 'console-recent-failed.png'),
        fullPage: true,
      });
    } finally {
      await page.close();
    }
  });

  it('filters by workflow: only its rows, with a notice for each provider still not searched', async () => {
    const { page } = await openRecent();
    try {
      const workflow = await page.locator('table.recent td.workflow code').first().textContent();
      expect(workflow).toBeTruthy();
      await page.getByRole('searchbox', { name: 'Workflow' }).fill(workflow!);
      await page.getByRole('searchbox', { name: 'Workflow' }).press('Enter');
      const api = await search({ workflowId: workflow });
      const ids = api.edges.map(({ node }) => node.id);
      expect(ids.length).toBeGreaterThan(0);
      await expect.poll(async () => (await shown(page)).map(({ id }) => id)).toEqual(ids);
      for (const cell of await recentRows(page).locator('td.workflow').allTextContents()) {
        expect(cell).toBe(workflow);
      }
      const skipped = api.providers.filter(({ searched }) => !searched);
      expect(
        await page
          .locator('.notice')
          .evaluateAll((notices) => notices.map((notice) => notice.getAttribute('data-provider'))),
      ).toEqual(skipped.map(({ provider }) => provider));
    } finally {
      await page.close();
    }
  });

  it('changes a running row state live, without a reload', async () => {
    const { page, held } = await openRecent();
    try {
      let loads = 0;
      page.on('load', () => loads++);
      await page.getByRole('checkbox', { name: 'RUNNING' }).check();
      await page.getByRole('checkbox', { name: 'PENDING' }).check();
      await expect
        .poll(async () => (await shown(page)).some(({ id }) => held.includes(id)))
        .toBe(true);
      const { id, state } = (await shown(page)).find(({ id }) => held.includes(id))!;
      expect(['RUNNING', 'PENDING']).toContain(state);
      // Its clock starts now: a step each stepMs.
      h.sims[id.split(':')[0]!]!.live.add(id.slice(id.indexOf(':') + 1));
      await expect
        .poll(
          () => page.locator(`table.recent tbody tr[data-id="${id}"]`).getAttribute('data-state'),
          {
            timeout: 15_000,
          },
        )
        .not.toBe(state);
      expect(loads).toBe(0);
    } finally {
      await page.close();
    }
  });
});

/** What the API answers for one execution's pane. */
const PANE = `query ($id: ID!) {
  execution(id: $id) { canRerun steps { name state error { message } } }
}`;
interface PaneAnswer {
  canRerun: boolean;
  steps: Array<{ name: string; state: string; error: { message: string } | null }> | null;
}
async function paneAnswer(id: string): Promise<PaneAnswer> {
  const { body } = await h.query<{ execution: PaneAnswer }>(PANE, { id });
  expect(body.errors).toBeUndefined();
  return body.data!.execution;
}

const pane = (page: Page) => page.locator('aside.pane');
/** The steps the pane shows: name, state, and the text of the error line under it. */
const stepsShown = (page: Page) =>
  pane(page)
    .locator('table.steps tbody tr[data-step]')
    .evaluateAll((rows) =>
      rows.map((row) => {
        const next = row.nextElementSibling;
        return {
          name: row.getAttribute('data-step')!,
          state: row.getAttribute('data-state')!,
          error: next?.classList.contains('step-error') ? next.textContent!.trim() : '',
        };
      }),
    );
/** Opens the pane of the row of `id` (its id is the row's button), once its steps are in. */
async function openPane(page: Page, id: string): Promise<void> {
  await page.locator(`tbody tr[data-id="${id}"]`).getByRole('button', { name: id }).click();
  await pane(page)
    .and(page.locator(`[data-id="${id}"]`))
    .waitFor();
  await pane(page)
    .locator('table.steps, .empty:not(:has-text("Loading")), .banner')
    .first()
    .waitFor();
}
/** The simulator of the provider of global id `id`, with its start calls counted. */
const starter = (id: string) =>
  h.sims[id.slice(0, id.indexOf(':'))] as Simulator & { startCalls: number };

/**
 * Recent filtered to FAILED, and the newest failed execution of a provider that keeps steps and
 * starts one again (the durable engine, Yandex), as a global id.
 */
async function failedWithSteps(page: Page): Promise<string> {
  await page.getByRole('checkbox', { name: 'FAILED' }).check();
  await expect
    .poll(async () => {
      const rows = await shown(page);
      return rows.length > 0 && rows.every(({ state }) => state === 'FAILED');
    })
    .toBe(true);
  const failed = (await shown(page)).find(({ id }) => /^(durable|serverless):/.test(id));
  expect(failed).toBeDefined();
  return failed!.id;
}

describe("an execution's pane in Chromium", () => {
  it("shows a FAILED execution's steps as the API has them, the failed step with its error, and Rerun", async () => {
    const { page } = await openRecent();
    try {
      const id = await failedWithSteps(page);
      await openPane(page, id);
      const api = await paneAnswer(id);
      expect(api.canRerun).toBe(true);
      const steps = await stepsShown(page);
      expect(steps.map(({ name, state }) => ({ name, state }))).toEqual(
        api.steps!.map(({ name, state }) => ({ name, state })),
      );
      const failed = api.steps!.findIndex(({ state }) => state === 'FAILED');
      expect(failed).toBeGreaterThanOrEqual(0);
      expect(steps[failed]!.error).toContain(api.steps![failed]!.error!.message);
      expect(await row(page, id).getAttribute('class')).toBe('open');
      expect(await pane(page).getByRole('button', { name: 'Rerun' }).isEnabled()).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'console-steps.png'), fullPage: true });
      await pane(page).getByRole('button', { name: 'Close' }).click();
      expect(await pane(page).count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('reruns it once on a double click: the new execution at the top of Recent, live to SUCCEEDED', async () => {
    const { page } = await openRecent();
    const sent: Array<{ id: string; idempotencyKey: string }> = [];
    page.on('request', (request) => {
      const body = request.postData();
      if (!body?.includes('rerunExecution')) return;
      sent.push(
        (JSON.parse(body) as { variables: { id: string; idempotencyKey: string } }).variables,
      );
    });
    let loads = 0;
    page.on('load', () => loads++);
    const id = await failedWithSteps(page);
    const sim = starter(id);
    try {
      await openPane(page, id);
      // Slow enough to see the button disabled while the rerun is in flight.
      sim.latencyMs = 300;
      await pane(page).getByRole('button', { name: 'Rerun' }).dblclick();
      const busy = pane(page).getByRole('button', { name: 'Rerunning…' });
      expect(await busy.isDisabled()).toBe(true);
      const started = pane(page).locator('.started code');
      await started.waitFor({ timeout: 10_000 });
      sim.latencyMs = 0;
      const made = (await started.textContent())!;
      expect(made.startsWith(id.slice(0, id.indexOf(':') + 1))).toBe(true);
      expect(made).not.toBe(id);
      // One start: a second click (if it got through) sent the same key.
      expect(sim.startCalls).toBe(1);
      expect(sent.length).toBeGreaterThan(0);
      expect(
        new Set(sent.map(({ id: sentId, idempotencyKey }) => `${sentId} ${idempotencyKey}`)),
      ).toEqual(new Set([`${id} ${sent[0]!.idempotencyKey}`]));
      expect(sent[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{32,36}$/);

      // At the top, though the filter is FAILED: it is the newest, started here.
      await expect.poll(async () => (await shown(page))[0]?.id).toBe(made);
      const top = row(page, made);
      expect(await top.locator('.rerun-of').textContent()).toBe(`rerun of ${id}`);
      const seen: string[] = [(await top.getAttribute('data-state'))!];
      expect(['PENDING', 'RUNNING']).toContain(seen[0]);
      await page.screenshot({ path: join(ARTIFACTS, 'console-rerun.png'), fullPage: true });
      await expect
        .poll(
          async () => {
            const state = (await top.getAttribute('data-state'))!;
            if (seen.at(-1) !== state) seen.push(state);
            return state;
          },
          { timeout: 15_000 },
        )
        .toBe('SUCCEEDED');
      expect(seen.length).toBeGreaterThan(1);
      expect(loads).toBe(0);
      expect(sim.startCalls).toBe(1);
      // Finished, it has steps of its own and can be rerun in turn.
      await openPane(page, made);
      expect((await stepsShown(page)).length).toBeGreaterThan(0);
      expect(await pane(page).getByRole('button', { name: 'Rerun' }).count()).toBe(1);
    } finally {
      sim.latencyMs = 0;
      await page.close();
    }
  });

  it('opens from By id: no steps kept for a payment; a failed rerun asked again with its key starts none, a new key starts one, at the top of Recent', async () => {
    h.reset();
    const payment = live.find((id) => id.startsWith('payment:'))!;
    const failed = 'durable:wf_billing_7';
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    try {
      await page.goto(`${site.url}/?ids=${encodeURIComponent([payment, failed].join(','))}`);
      await row(page, failed).waitFor();
      expect((await paneAnswer(payment)).steps).toBeNull();
      await openPane(page, payment);
      expect(await pane(page).locator('.empty').textContent()).toContain(
        'No steps kept by this provider',
      );
      expect(await pane(page).getByRole('button', { name: 'Rerun' }).count()).toBe(0);

      await openPane(page, failed);
      const api = await paneAnswer(failed);
      expect((await stepsShown(page)).map(({ name }) => name)).toEqual(
        api.steps!.map(({ name }) => name),
      );
      await page.screenshot({ path: join(ARTIFACTS, 'console-ids-steps.png'), fullPage: true });
      // A start that may have acted (a 500): its error in the pane. Asked again, the same key
      // answers that it may have started one, with no second start; a new key starts one.
      const sent: string[] = [];
      page.on('request', (request) => {
        const body = request.postData();
        if (body?.includes('rerunExecution')) {
          sent.push(
            (JSON.parse(body) as { variables: { idempotencyKey: string } }).variables
              .idempotencyKey,
          );
        }
      });
      const alert = pane(page).getByRole('alert');
      starter(failed).inject({ kind: 'status', status: 500 }, { on: 'start', times: 1 });
      await pane(page).getByRole('button', { name: 'Rerun', exact: true }).click();
      await expect
        .poll(() => alert.textContent(), { timeout: 10_000 })
        .toMatch(/^UPSTREAM_ERROR: /);
      await pane(page).getByRole('button', { name: 'Rerun', exact: true }).click();
      await expect
        .poll(() => alert.textContent(), { timeout: 10_000 })
        .toMatch(/^RERUN_NOT_SUPPORTED: .*may have started/);
      expect(starter(failed).startCalls).toBe(1);
      expect(await pane(page).locator('.started').count()).toBe(0);
      await pane(page).getByRole('button', { name: 'Rerun with a new key' }).click();
      const started = pane(page).locator('.started code');
      await started.waitFor({ timeout: 10_000 });
      expect(await alert.count()).toBe(0);
      const made = (await started.textContent())!;
      expect(starter(failed).startCalls).toBe(2);
      expect(sent).toHaveLength(3);
      expect(sent[1]).toBe(sent[0]);
      expect(sent[2]).not.toBe(sent[0]);
      await page.getByRole('tab', { name: 'Recent' }).click();
      await expect.poll(async () => (await shown(page))[0]?.id, { timeout: 10_000 }).toBe(made);
    } finally {
      await page.close();
    }
  });
});
