// Server-Sent Events over fetch: EventSource cannot send the Authorization header, so the stream is
// read here with a stream reader, parsed as the HTML standard says (id:, event:, data:, retry:,
// comments), and opened again after a network break, with Last-Event-ID when the events had ids.

import {authHeaders, errorOf} from './api.js';

/** Longest silence (the server sends a comment every 15 s by default) before it counts as broken. */
const SILENCE_MS = 45000;

/**
 * Follows the event stream at `path` until `close()`, or until an event `isLast` says ends it.
 * Handlers: onEvent({type, data, id}), onOpen() at each (re)connection, onError(ApiError) when the
 * server refuses the stream (then it is not retried), onBreak() when the connection broke.
 */
export function follow(path, {onEvent, onOpen = () => {}, onError = () => {}, onBreak = () => {},
                              isLast = () => false}) {
  let lastEventId = null;
  let retryMs = 2000;
  let closed = false;
  let controller = null;

  async function connect() {
    while (!closed) {
      controller = new AbortController();
      const headers = authHeaders({Accept: 'text/event-stream'});
      if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
      try {
        const response = await fetch(path, {headers, signal: controller.signal, cache: 'no-store'});
        if (!response.ok) {
          onError(await errorOf(response));
          return;
        }
        onOpen();
        if (await read(response.body)) return;
      } catch (e) {
        if (closed) return;
      }
      onBreak();
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  /** Reads one response; true when the stream ended as it should (a last event came). */
  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = {type: 'message', data: [], id: null};
    let watchdog = null;
    const rearm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      rearm();
      for (;;) {
        const {value, done} = await reader.read();
        if (done) return false;
        rearm();
        buffer += value;
        // A \r at the end may be the first half of a \r\n: it waits for the next chunk.
        const held = buffer.endsWith('\r') ? '\r' : '';
        const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
        // The last piece is a line not yet ended.
        buffer = lines.pop() + held;
        for (const line of lines) {
          if (line === '') {
            if (event.data.length > 0) {
              const dispatched = {type: event.type, data: event.data.join('\n'), id: lastEventId};
              onEvent(dispatched);
              if (isLast(dispatched)) {
                closed = true;
                return true;
              }
            }
            event = {type: 'message', data: [], id: null};
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let text = colon < 0 ? '' : line.slice(colon + 1);
          if (text.startsWith(' ')) text = text.slice(1);
          if (field === 'data') event.data.push(text);
          else if (field === 'event') event.type = text;
          else if (field === 'id' && !text.includes('\0')) lastEventId = text;
          else if (field === 'retry' && /^\d+$/.test(text)) retryMs = Number(text);
        }
      }
    } finally {
      clearTimeout(watchdog);
      reader.cancel().catch(() => {});
    }
  }

  connect();
  return {
    close() {
      closed = true;
      controller?.abort();
    },
  };
}
