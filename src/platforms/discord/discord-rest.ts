import { DefaultRestOptions, REST, type RESTOptions } from 'discord.js';

/** Rate-limit waits longer than this fail the request (the delivery job retries later) instead of stalling. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;
/** After a stop, requests under way get this long to finish (a send is recorded, not cut), then they are aborted. */
export const STOP_GRACE_MS = 2000;

/**
 * Options for the REST client: DISCORD_API_URL (the fake in tests), and long rate-limit waits
 * rejected. discord.js itself waits out shorter buckets and 429s (Retry-After), retries 5xx three
 * times and times requests out after 15 s. None of that can be cut from outside, so with `stop`:
 * once it is aborted no new rate-limit wait starts, and requests still under way after
 * STOP_GRACE_MS are aborted (no retry follows an abort).
 */
export function restOptions(apiUrl: string, stop?: AbortSignal): Partial<RESTOptions> {
  const cut = stop ? afterGrace(stop) : undefined;
  return {
    api: apiUrl,
    rejectOnRateLimit: (limit) => Boolean(stop?.aborted) || limit.retryAfter > MAX_RATE_LIMIT_WAIT_MS,
    ...(cut ? { makeRequest: (url, init) => DefaultRestOptions.makeRequest(url, { ...init, signal: either(init.signal, cut) }) } : {}),
  };
}

/** A REST client without the gateway: for registering commands and for sending from one-shot jobs. */
export function createDiscordRest(apiUrl: string, token: string, stop?: AbortSignal): REST {
  return new REST(restOptions(apiUrl, stop)).setToken(token);
}

/** Aborts STOP_GRACE_MS after `stop` does. */
function afterGrace(stop: AbortSignal): AbortSignal {
  const cut = new AbortController();
  const start = () => setTimeout(() => cut.abort(stop.reason), STOP_GRACE_MS).unref();
  if (stop.aborted) start();
  else stop.addEventListener('abort', start, { once: true });
  return cut.signal;
}

function either(signal: AbortSignal | null | undefined, cut: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, cut]) : cut;
}
