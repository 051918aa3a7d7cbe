// The chat API client: JSON calls, the SSE stream, and typed errors the UI can explain.
import { readEvents } from "./sse.js";

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null, details = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

/** The request never got an HTTP answer, or the stream broke off before its result. */
export class NetworkError extends Error {
  constructor(message = "network error") {
    super(message);
    this.name = "NetworkError";
  }
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value, now = Date.now()) {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

async function errorFrom(response) {
  let code = "http_error";
  let message = response.statusText || `HTTP ${response.status}`;
  let details = null;
  try {
    const body = await response.json();
    if (body && body.error) ({ code, message, details } = body.error);
  } catch {
    // Not our JSON envelope (e.g. a proxy's error page): keep the status line.
  }
  return new ApiError(response.status, code, message, parseRetryAfter(response.headers.get("Retry-After")), details);
}

export function createClient(apiBase = "") {
  const url = (path) => `${apiBase}${path}`;

  async function send(path, body, signal) {
    let response;
    try {
      response = await fetch(url(path), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: path.endsWith("stream") ? "text/event-stream" : "application/json" },
        body: JSON.stringify(body),
        signal,
        credentials: "omit",
      });
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new NetworkError(String(err && err.message));
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  return {
    /** POST /chat: start (no id), snapshot (id, empty message) or a whole turn. */
    async chat(body, signal) {
      const response = await send("/chat", body, signal);
      return response.json();
    },

    /** POST /chat/stream: calls onEvent(ChatEvent) and onDelta(text) as they come; resolves with the result. */
    async stream(body, { onEvent, onDelta, signal } = {}) {
      const response = await send("/chat/stream", body, signal);
      try {
        for await (const item of readEvents(response.body)) {
          const data = JSON.parse(item.data);
          if (item.event === "event" && onEvent) onEvent(data);
          else if (item.event === "delta" && onDelta) onDelta(data.text || "");
          else if (item.event === "result") return data;
          else if (item.event === "error") {
            throw new ApiError(data.status || 500, data.code || "stream_error", data.message || "error");
          }
        }
      } catch (err) {
        if (err instanceof ApiError || (err && err.name === "AbortError")) throw err;
        throw new NetworkError(String(err && err.message));
      }
      throw new NetworkError("stream ended without a result");
    },

    async agents(signal) {
      let response;
      try {
        response = await fetch(url("/agents"), { signal, credentials: "omit" });
      } catch (err) {
        throw new NetworkError(String(err && err.message));
      }
      if (!response.ok) throw await errorFrom(response);
      return response.json();
    },
  };
}
