/** One event of a `text/event-stream` response (GraphQL over SSE, "distinct connections"). */
export interface StreamEvent {
  event: string;
  /** The event's data, parsed as JSON; null when it has none (`complete`). */
  data: Record<string, any> | null;
}

/**
 * Reads a `text/event-stream` response to its end, calling `onEvent` as each event arrives;
 * comments (keep-alives) are skipped.
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: StreamEvent) => void = () => undefined,
): Promise<StreamEvent[]> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream') || !response.body) {
    throw new Error(`Expected a text/event-stream response, got ${type || 'no content-type'}`);
  }
  const events: StreamEvent[] = [];
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replaceAll('\r\n', '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0 && event === 'message') continue;
      const text = data.join('\n');
      const parsed = { event, data: text === '' ? null : JSON.parse(text) };
      events.push(parsed);
      onEvent(parsed);
    }
  }
  return events;
}
