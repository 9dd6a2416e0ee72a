/** One part of a `multipart/mixed` GraphQL response, and when it arrived. */
export interface ResponsePart {
  body: Record<string, unknown>;
  /** `performance.now()` when the whole part had arrived. */
  at: number;
}

/**
 * Reads a `multipart/mixed` response (the incremental delivery format of `@defer`/`@stream`)
 * part by part as it streams in, noting when each part arrived.
 */
export async function readMultipart(response: Response): Promise<ResponsePart[]> {
  const type = response.headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (!type.startsWith('multipart/mixed') || !boundary || !response.body) {
    throw new Error(`Expected a multipart/mixed response, got ${type || 'no content-type'}`);
  }
  const delimiter = `\r\n--${boundary}`;
  const parts: ResponsePart[] = [];
  const decoder = new TextDecoder();
  // Always starts at a delimiter once the first one has been seen.
  let buffer = '\r\n';
  let ended = false;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (;;) {
      const start = buffer.indexOf(delimiter);
      if (start < 0) break;
      const next = buffer.indexOf(delimiter, start + delimiter.length);
      if (next < 0) {
        if (buffer.startsWith('--', start + delimiter.length)) ended = true;
        break;
      }
      const part = buffer.slice(start + delimiter.length, next);
      buffer = buffer.slice(next);
      const separator = part.indexOf('\r\n\r\n');
      if (separator < 0) continue; // the preamble, or an empty part
      parts.push({ body: JSON.parse(part.slice(separator + 4)), at: performance.now() });
    }
  }
  if (!ended) throw new Error(`The multipart response ended without its closing delimiter`);
  return parts;
}
