import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { demoAppOptions, startDemoProviders } from '../src/demo.js';
import { startApp } from '../src/http/server.js';
import { providerSettings } from '../src/providers.js';
import { createLogger } from '../src/telemetry/logger.js';

/**
 * The README's (and docs/'s) request samples, run as a newcomer runs them: each `curl` in a
 * ```sh block, followed by a ```json block with the answer, is sent to the demo as `npm start`
 * wires it, and the answer, shown as `JSON.stringify(body, null, 2)`, must be the block byte for
 * byte. Then the links: every relative link of docs/ and of the README points at a file.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DOCS = join(ROOT, 'docs');
/** The pages a newcomer reads: the README and every page of docs/. */
const PAGES = [
  'README.md',
  ...readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
/** Where the samples send their requests: the address `npm start` listens on. */
const DEMO_ORIGINS = ['http://localhost:4000', 'http://127.0.0.1:4000'];

interface Block {
  /** The page, relative to the repository. */
  page: string;
  /** The info string's first word: `sh`, `json`, … ('' for a bare fence). */
  lang: string;
  /** The lines between the fences, the fence's indentation removed, joined with '\n'. */
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The heading the block sits under. */
  heading: string;
}

/** The fenced code blocks of a Markdown page, in order (CommonMark fences, indented ones too). */
function fencedBlocks(page: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) {
      const title = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i]!);
      if (title) heading = title[1]!;
      continue;
    }
    const [, indent, fence, lang] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      // Content lines lose up to the fence's own indentation (a fence inside a list item).
      body.push(lines[j]!.replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    blocks.push({ page, lang, text: body.join('\n'), line: i + 1, heading });
    i = j;
  }
  return blocks;
}

/** The request a curl command line makes. */
interface CurlRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string | undefined;
}

/** Splits a shell command into words: '…' literal, "…" with \\ \" \$ \` escapes, \x outside quotes. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${command}`);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= '';
      for (i++; i < command.length && command[i] !== '"'; i++) {
        if (command[i] === '\\' && '\\"$`'.includes(command[i + 1] ?? '')) i++;
        else if (command[i] === '$' || command[i] === '`')
          throw new Error(`shell expansion is not supported in a sample: ${command}`);
        word += command[i];
      }
      if (i >= command.length) throw new Error(`unterminated " in: ${command}`);
    } else if (c === '\\') {
      word = (word ?? '') + (command[++i] ?? '');
    } else if (';|&<>$`'.includes(c)) {
      throw new Error(
        `only one plain curl command per sample is supported, found '${c}' in: ${command}`,
      );
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The request of the one `curl` command of a sh block, as curl would send it: `-H` headers, the
 * body from `-d '…'` or from a here-document (`-d @- <<'JSON'` … `JSON`), POST when there is a
 * body, and curl's own default headers where the command does not set them.
 */
function parseCurl(script: string): CurlRequest {
  const lines = script.split('\n').filter((line) => !/^\s*#/.test(line));
  // A here-document: the command is everything up to its `<<DELIM` line, stdin the lines after.
  const heredocAt = lines.findIndex((line) => /<<-?\s*(['"]?)\w+\1/.test(line));
  let stdin: string | undefined;
  let commandLines = lines;
  if (heredocAt >= 0) {
    const [, quote, delimiter] = /<<-?\s*(['"]?)(\w+)\1/.exec(lines[heredocAt]!)!;
    if (!quote) throw new Error('an unquoted here-document would be expanded by the shell');
    const end = lines.indexOf(delimiter!, heredocAt + 1);
    if (end < 0) throw new Error(`here-document ${delimiter} is not terminated`);
    if (lines.slice(end + 1).some((line) => line.trim() !== '')) {
      throw new Error('only one curl command per sample is supported');
    }
    stdin = lines.slice(heredocAt + 1, end).join('\n') + '\n';
    commandLines = lines.slice(0, heredocAt + 1);
    commandLines[heredocAt] = commandLines[heredocAt]!.replace(/<<-?\s*(['"]?)\w+\1/, '');
  }
  const command = commandLines.join('\n').replace(/\\\n/g, ' ');
  const words = shellWords(command);
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${command}`);

  let url: string | undefined;
  let method: string | undefined;
  let body: string | undefined;
  const headers: Array<[string, string]> = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const value = () => {
      const next = words[++i];
      if (next === undefined) throw new Error(`${word} needs a value`);
      return next;
    };
    if (['-s', '--silent', '-S', '--show-error', '-N', '--no-buffer'].includes(word)) continue;
    if (word === '-H' || word === '--header') {
      const header = value();
      const colon = header.indexOf(':');
      headers.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()]);
    } else if (word === '-X' || word === '--request') {
      method = value();
    } else if (['-d', '--data', '--data-ascii', '--data-binary', '--data-raw'].includes(word)) {
      const data = value();
      if (word === '--data-raw' || !data.startsWith('@')) body = data;
      else if (data !== '@-') throw new Error(`a sample cannot read the file ${data}`);
      else if (stdin === undefined) throw new Error('-d @- without a here-document');
      // `-d @file` drops carriage returns and newlines; `--data-binary @file` keeps them.
      else body = word === '--data-binary' ? stdin : stdin.replace(/[\r\n]/g, '');
    } else if (word.startsWith('-')) {
      throw new Error(`curl option ${word} is not supported by this test`);
    } else if (url === undefined) {
      url = word;
    } else {
      throw new Error(`a second URL in: ${command}`);
    }
  }
  if (url === undefined) throw new Error(`no URL in: ${command}`);
  const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name);
  // What curl sends unless told otherwise.
  if (!has('accept')) headers.push(['accept', '*/*']);
  if (!has('user-agent')) headers.push(['user-agent', 'curl/8']);
  if (body !== undefined && !has('content-type')) {
    headers.push(['content-type', 'application/x-www-form-urlencoded']);
  }
  return { method: method ?? (body === undefined ? 'GET' : 'POST'), url, headers, body };
}

interface Sample {
  /** Where it is: `README.md:123 (A query over all five providers)`. */
  name: string;
  heading: string;
  request: CurlRequest;
  /** The ```json block that follows it. */
  expected: string;
}

/**
 * The samples of a page: a ```sh block whose one command is a `curl` to the demo's address,
 * followed (as the next code block) by a ```json block, its answer.
 */
function samplesOf(page: string, markdown: string): Sample[] {
  const blocks = fencedBlocks(page, markdown);
  const samples: Sample[] = [];
  blocks.forEach((block, i) => {
    const answer = blocks[i + 1];
    if (!['sh', 'bash', 'shell', 'console'].includes(block.lang)) return;
    if (!/^\s*curl\b/m.test(block.text) || answer?.lang !== 'json') return;
    if (!DEMO_ORIGINS.some((origin) => block.text.includes(origin))) return;
    samples.push({
      name: `${page}:${block.line} (${block.heading})`,
      heading: block.heading,
      request: parseCurl(block.text),
      expected: answer.text,
    });
  });
  return samples;
}

const pages = new Map(PAGES.map((page) => [page, readFileSync(join(ROOT, page), 'utf8')]));
const samples = PAGES.flatMap((page) => samplesOf(page, pages.get(page)!));

/**
 * Sends `sample` to a demo of its own, started as `npm start` starts it (a fresh one for each
 * sample: a stop changes the demo's state, and each sample shows a demo just started), and
 * answers the body as the README shows it.
 */
async function runOnDemo({ request }: Sample): Promise<{ status: number; shown: string }> {
  const demo = await startDemoProviders();
  try {
    const config = loadConfig(
      { ...demo.env, PORT: '0', HOST: '127.0.0.1' },
      providerSettings,
      true,
    );
    const app = await startApp(config, createLogger('silent'), demoAppOptions(demo));
    try {
      const url = new URL(request.url);
      const target = new URL(`${url.pathname}${url.search}`, app.url);
      const response = await fetch(target, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const text = await response.text();
      let shown: string;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        shown = text; // not JSON: shown as it came, so the diff says what it was
      }
      return { status: response.status, shown };
    } finally {
      await app.close(0);
    }
  } finally {
    await demo.close();
  }
}

describe('the README and docs/ samples against the demo', () => {
  it('finds the README samples', () => {
    expect(samples.map(({ heading }) => heading)).toEqual(
      expect.arrayContaining(['A query over all five providers', 'Stopping an execution']),
    );
    const read = samples.find(({ heading }) => heading === 'A query over all five providers')!;
    expect(read.request.method).toBe('POST');
    expect(read.request.headers).toContainEqual(['x-refold-linked-account-id', 'demo-customer']);
    expect(JSON.parse(read.request.body!).variables.ids).toHaveLength(5);
  });

  for (const sample of samples) {
    it(`answers ${sample.name} as shown`, { timeout: 30_000 }, async () => {
      const { status, shown } = await runOnDemo(sample);
      expect(status, `${sample.name}: HTTP status`).toBe(200);
      // A mismatch prints a line diff: "Expected" is the page's block, "Received" the demo's.
      expect(shown, `${sample.name}: the demo's answer differs from the page's json block`).toBe(
        sample.expected,
      );
    });
  }
});

/** The inline and reference link targets of a page, outside code. */
function linksOf(markdown: string): string[] {
  const prose = markdown
    .replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n {0,3}\2[`~]*[ \t]*$/gm, '')
    .replace(/`+[^`\n]*`+/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const reference = [...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)];
  return [...inline, ...reference].map((match) => match[1]!);
}

/** Relative links (no scheme, no bare anchor), with their fragment and query removed. */
function relativeLinks(markdown: string): string[] {
  return linksOf(markdown)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'))
    .map((target) => decodeURIComponent(target.replace(/[?#].*$/, '')));
}

describe('the README and docs/ links', () => {
  it('finds links in docs/', () => {
    // The check below is not vacuous: docs/ links its pages to one another.
    expect(PAGES.filter((page) => page.startsWith('docs/'))).not.toEqual([]);
    expect(
      PAGES.filter((page) => page.startsWith('docs/')).flatMap((page) =>
        relativeLinks(pages.get(page)!),
      ),
    ).not.toEqual([]);
  });

  it('points every relative link of docs/*.md and of the README at a file that exists', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const target of relativeLinks(pages.get(page)!)) {
        const file = resolve(dirname(join(ROOT, page)), target);
        if (!existsSync(file)) broken.push(`${page} -> ${target} (${relative(ROOT, file)})`);
      }
    }
    expect(broken, 'broken links').toEqual([]);
  });

  it('mentions neither ../shared nor SPEC.md', () => {
    const mentions = PAGES.flatMap((page) =>
      pages
        .get(page)!
        .split('\n')
        .flatMap((line, i) =>
          line.includes('../shared') || /SPEC\.md/i.test(line) ? [`${page}:${i + 1}: ${line}`] : [],
        ),
    );
    expect(mentions).toEqual([]);
  });
});
