// Server-Sent Events from a fetch() body: EventSource cannot POST, so the stream is parsed here.

function parseBlock(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { event, data: data.join("\n") } : null;
}

/** Split SSE text into events; returns [events, rest] where rest is an unfinished block. */
export function splitEvents(buffer) {
  const events = [];
  let rest = buffer.replace(/\r\n/g, "\n");
  let end;
  while ((end = rest.indexOf("\n\n")) >= 0) {
    const parsed = parseBlock(rest.slice(0, end));
    if (parsed) events.push(parsed);
    rest = rest.slice(end + 2);
  }
  return [events, rest];
}

/** Async iterator over the events of a ReadableStream<Uint8Array>. */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      // A "\r" at a chunk's end may be half of "\r\n": keep it for the next chunk.
      buffer += value;
      const held = buffer.endsWith("\r") ? "\r" : "";
      const [events, rest] = splitEvents(held ? buffer.slice(0, -1) : buffer);
      buffer = rest + held;
      yield* events;
    }
    const [events] = splitEvents(buffer + "\n\n");
    yield* events;
  } finally {
    reader.releaseLock();
  }
}
