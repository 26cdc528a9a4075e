import { REST, type RESTOptions } from 'discord.js';

/** Rate-limit waits longer than this fail the request (the delivery job retries later) instead of stalling. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Options for the REST client: DISCORD_API_URL (the fake in tests), and long rate-limit waits
 * rejected. discord.js itself waits out shorter buckets and 429s (Retry-After), retries 5xx three
 * times and times requests out after 15 s.
 */
export function restOptions(apiUrl: string): Partial<RESTOptions> {
  return { api: apiUrl, rejectOnRateLimit: (limit) => limit.retryAfter > MAX_RATE_LIMIT_WAIT_MS };
}

/** A REST client without the gateway: for registering commands and for sending from one-shot jobs. */
export function createDiscordRest(apiUrl: string, token: string): REST {
  return new REST(restOptions(apiUrl)).setToken(token);
}
