import type { Logger } from 'pino';
import { parseRetryAfter } from '../domain/retry-after.ts';

export type Fetch = typeof fetch;
export type Sleep = (ms: number) => Promise<void>;

/** A fetch that failed for good; `retryable` tells the caller whether a later run may succeed. */
export class ArxivFetchError extends Error {
  override readonly name = 'ArxivFetchError';
  readonly status: number | null;
  readonly attempts: number;
  readonly retryable: boolean;
  constructor(message: string, options: { status: number | null; attempts: number; retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.attempts = options.attempts;
    this.retryable = options.retryable;
  }
}

export type ArxivClientOptions = {
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** arXiv asks for at most one request per 3 s across all its endpoints. */
  readonly minIntervalMs: number;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  /** First backoff; doubles per attempt, capped at MAX_BACKOFF_MS. */
  readonly retryBaseMs: number;
  readonly log: Logger;
};

export type ArxivClient = { get(url: string): Promise<string> };

const MAX_BACKOFF_MS = 60_000;
/** A Retry-After longer than this is not waited out inside one run: the run fails and the next one retries. */
const MAX_RETRY_AFTER_MS = 300_000;
const USER_AGENT = 'lmsys-papers/0.1 (+https://github.com/lmsys-papers; daily arXiv digest bot)';

const realSleep: Sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * One request at a time, starts spaced by `minIntervalMs`, retries on 429, 5xx, timeouts and network
 * errors with exponential backoff that honours Retry-After. Other 4xx fail at once.
 */
export function createArxivClient(options: ArxivClientOptions): ArxivClient {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  let queue: Promise<unknown> = Promise.resolve();
  let lastStart = Number.NEGATIVE_INFINITY;

  async function attempt(url: string): Promise<Response> {
    const wait = lastStart + options.minIntervalMs - now();
    if (wait > 0) await sleep(wait);
    lastStart = now();
    return doFetch(url, { headers: { 'user-agent': USER_AGENT }, signal: AbortSignal.timeout(options.timeoutMs) });
  }

  async function getWithRetries(url: string): Promise<string> {
    for (let tries = 1; ; tries++) {
      let failure: { message: string; status: number | null; retryAfterMs: number | null; retryable: boolean; cause?: unknown };
      try {
        const response = await attempt(url);
        if (response.ok) return await response.text();
        await response.body?.cancel();
        failure = {
          message: `HTTP ${response.status}`,
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()),
          retryable: response.status === 429 || response.status >= 500,
        };
      } catch (error) {
        failure = { message: describe(error), status: null, retryAfterMs: null, retryable: true, cause: error };
      }
      const tooLong = (failure.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS;
      if (!failure.retryable || tries > options.maxRetries || tooLong) {
        const wait = tooLong ? `, asked to wait ${Math.round((failure.retryAfterMs ?? 0) / 1000)} s` : '';
        throw new ArxivFetchError(`arXiv request failed after ${tries} attempt(s): ${failure.message}${wait} (${url})`, {
          status: failure.status,
          attempts: tries,
          retryable: failure.retryable,
          cause: failure.cause,
        });
      }
      const backoff = Math.min(options.retryBaseMs * 2 ** (tries - 1), MAX_BACKOFF_MS);
      const delay = Math.max(failure.retryAfterMs ?? 0, backoff);
      options.log.warn({ url, status: failure.status, attempt: tries, delayMs: delay, reason: failure.message }, 'arxiv request failed, retrying');
      await sleep(delay);
    }
  }

  return {
    get(url) {
      const turn = queue.then(() => getWithRetries(url));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}
