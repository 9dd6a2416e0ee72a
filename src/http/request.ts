import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RequestTrace } from '../telemetry/tracing-hooks.js';
import type { Abort } from '../upstream/abort.js';

/** A GraphQL request over HTTP, read and authorized by the server (`server.ts`). */
export interface GraphQLHttpRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The URL's query string, `?…` or empty. */
  search: string;
  /** The parsed JSON body of a POST, else undefined. */
  body: unknown;
  requestId: string;
  /** Aborted when the client goes away. */
  abort: Abort;
  /** With tracing on, its trace (its server span); undefined when not traced. */
  trace?: RequestTrace;
}

/** What a route answers: a complete JSON text, or Apollo's chunks (incremental delivery). */
export interface GraphQLHttpResponse {
  status: number;
  headers: ReadonlyMap<string, string>;
  body: string | AsyncIterable<string>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is well formed, else a new UUID. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** A header as one string, several values joined as Apollo Server's `HeaderMap` joins them. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** An incoming request's headers, read by lower-case name. */
export function headerReader(headers: IncomingHttpHeaders): (name: string) => string | undefined {
  return (name) => headerValue(headers[name.toLowerCase()]);
}

/**
 * A request's body, or undefined when it is over `maxBytes`: the rest is read and dropped, and
 * the answer (413) should close the connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.removeListener('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}
