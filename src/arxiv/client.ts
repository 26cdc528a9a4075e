import type { Logger } from 'pino';
import { parseRetryAfter } from '../domain/retry-after.ts';
import { NEVER_STOPS, type Sleep, StoppedError, stoppableSleep } from '../stopping.ts';

export type Fetch = typeof fetch;
export type { Sleep };

/** A fetch that failed for good; `retryable` tells the caller whether a later run may succeed. */
export class ArxivFetchError extends Error {
  override readonly name = 'ArxivFetchError';
  readonly status: number | null;
  readonly attempts: number;
  readonly retryable: boolean;
  /** The whole request URL, for the log; the message names only its endpoint. */
  readonly url: string | undefined;
  constructor(message: string, options: { status: number | null; attempts: number; retryable: boolean; cause?: unknown; url?: string }) {
    super(message, { cause: options.cause });
    this.url = options.url;
    this.status = options.status;
    this.attempts = options.attempts;
    this.retryable = options.retryable;
  }
}

export type ArxivClientOptions = {
  readonly fetch?: Fetch;
  /** Spacing and backoff waits; given the stop signal, so a stop ends them (the default is). */
  readonly sleep?: Sleep;
  /** The process is stopping: the request under way is cut, no retry starts, StoppedError is thrown. */
  readonly signal?: AbortSignal;
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

/** A resolver that cannot answer right now (EAI_AGAIN) is given this many more tries, not the full chain. */
const RESOLVER_RETRIES = 1;

/**
 * One request at a time, starts spaced by `minIntervalMs`, retries on 429, 5xx, timeouts and network
 * errors with exponential backoff that honours Retry-After. Other 4xx, and a host name that does not
 * exist, fail at once. A stop (the `signal`) ends the request and every wait at once.
 */
export function createArxivClient(options: ArxivClientOptions): ArxivClient {
  const doFetch = options.fetch ?? fetch;
  const signal = options.signal ?? NEVER_STOPS;
  const sleep = options.sleep ?? stoppableSleep(signal);
  const now = options.now ?? Date.now;
  let queue: Promise<unknown> = Promise.resolve();
  let lastStart = Number.NEGATIVE_INFINITY;

  async function attempt(url: string): Promise<Response> {
    const wait = lastStart + options.minIntervalMs - now();
    if (wait > 0) await sleep(wait);
    if (signal.aborted) throw new StoppedError();
    lastStart = now();
    return doFetch(url, { headers: { 'user-agent': USER_AGENT }, signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) });
  }

  async function getWithRetries(url: string): Promise<string> {
    for (let tries = 1; ; tries++) {
      let failure: Failure;
      try {
        const response = await attempt(url);
        if (response.ok) return await response.text();
        await response.body?.cancel();
        failure = {
          message: `HTTP ${response.status}`,
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()),
          retryable: response.status === 429 || response.status >= 500,
          maxTries: options.maxRetries + 1,
        };
      } catch (error) {
        if (signal.aborted) throw new StoppedError();
        failure = networkFailure(error, options.maxRetries, url);
      }
      const tooLong = (failure.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS;
      if (!failure.retryable || tries >= failure.maxTries || tooLong) {
        const wait = tooLong ? `, asked to wait ${Math.round((failure.retryAfterMs ?? 0) / 1000)} s` : '';
        throw new ArxivFetchError(`arXiv request failed after ${tries} attempt(s): ${failure.message}${wait} (${endpointOf(url)})`, {
          url,
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

/**
 * The URL without its query: the message is read by people (ingest's last line, status, the
 * console), and an export-API query is 300 characters of encoded dates the line names already.
 */
function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

type Failure = { message: string; status: number | null; retryAfterMs: number | null; retryable: boolean; maxTries: number; cause?: unknown };

/**
 * fetch rejects with `TypeError: fetch failed` and the socket's or resolver's error as its cause.
 * ENOTFOUND is the resolver's definite "no such host" (a typo in ARXIV_*_URL, or no DNS at all): no
 * retry will change it, nor a port on fetch's "bad port" list. EAI_AGAIN is a resolver that could
 * not answer now: worth one more try, not the whole chain, since a machine without a network
 * answers it to every try.
 */
function networkFailure(error: unknown, maxRetries: number, url: string): Failure {
  const cause = error instanceof Error && error.cause instanceof Error ? (error.cause as Error & { code?: string; hostname?: string }) : null;
  const base = { status: null, retryAfterMs: null, cause: error };
  if (cause?.code === 'ENOTFOUND') {
    return { ...base, message: `host ${cause.hostname ?? '(unknown)'} not found (DNS ENOTFOUND)`, retryable: false, maxTries: 1 };
  }
  if (cause?.message === 'bad port') {
    // fetch refuses the ports of the WHATWG "bad port" list (1, 6000, 10080 …) before connecting: no retry changes that.
    return {
      ...base,
      message: `port ${new URL(url).port} is one that fetch never connects to (a "bad port"); use another port`,
      retryable: false,
      maxTries: 1,
    };
  }
  if (cause?.code === 'EAI_AGAIN') {
    return {
      ...base,
      message: `cannot resolve ${cause.hostname ?? 'the host'}: the DNS resolver did not answer (EAI_AGAIN)`,
      retryable: true,
      maxTries: 1 + Math.min(maxRetries, RESOLVER_RETRIES),
    };
  }
  return { ...base, message: describe(error), retryable: true, maxTries: maxRetries + 1 };
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}
