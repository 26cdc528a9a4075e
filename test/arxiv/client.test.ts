import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArxivFetchError, createArxivClient } from '../../src/arxiv/client.ts';
import { parseRetryAfter } from '../../src/domain/retry-after.ts';
import { createLogger } from '../../src/log.ts';
import { StoppedError } from '../../src/stopping.ts';
import { FakeArxiv } from '../fakes/arxiv-server.ts';

const log = createLogger('silent');

describe('arXiv client', () => {
  let fake: FakeArxiv;
  const sleeps: number[] = [];
  const recordingSleep = async (ms: number) => {
    sleeps.push(ms);
  };

  beforeEach(async () => {
    fake = await FakeArxiv.start();
    fake.rss = '<rss><channel></channel></rss>';
    sleeps.length = 0;
  });
  afterEach(() => fake.close());

  const client = (overrides: Partial<Parameters<typeof createArxivClient>[0]> = {}) =>
    createArxivClient({ minIntervalMs: 0, maxRetries: 3, timeoutMs: 1000, retryBaseMs: 100, log, sleep: recordingSleep, ...overrides });

  it('GIVEN a 429 with Retry-After THEN it waits that long and succeeds', async () => {
    fake.script('rss', { status: 429, headers: { 'retry-after': '7' } });
    await expect(client().get(`${fake.rssUrl}/cs.DC`)).resolves.toContain('<rss>');
    expect(sleeps).toEqual([7000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('GIVEN a Retry-After of an hour THEN it gives up at once instead of stalling the run', async () => {
    fake.script('rss', { status: 429, headers: { 'retry-after': '3600' } });
    await expect(client().get(`${fake.rssUrl}/cs.DC`)).rejects.toThrow(/HTTP 429, asked to wait 3600 s/);
    expect(sleeps).toEqual([]);
  });

  it('GIVEN a 503 storm THEN it backs off exponentially and fails clearly after the last try', async () => {
    fake.script('rss', { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const failure = client().get(`${fake.rssUrl}/cs.DC`);
    await expect(failure).rejects.toThrow(ArxivFetchError);
    await expect(failure).rejects.toThrow(/after 4 attempt\(s\): HTTP 503/);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(fake.requests).toHaveLength(4);
  });

  it('GIVEN a 404 THEN it fails at once without retrying', async () => {
    fake.script('rss', { status: 404 });
    await expect(client().get(`${fake.rssUrl}/cs.XX`)).rejects.toMatchObject({ status: 404, attempts: 1, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('GIVEN a server that hangs past the timeout THEN the request is retried and then succeeds', async () => {
    fake.script('rss', { delayMs: 500 });
    await expect(client({ timeoutMs: 100 }).get(`${fake.rssUrl}/cs.DC`)).resolves.toContain('<rss>');
    expect(sleeps).toEqual([100]);
  });

  it('GIVEN concurrent callers THEN requests go one at a time, starts spaced by the minimum interval', async () => {
    let clock = 0;
    const waits: number[] = [];
    const spaced = createArxivClient({
      minIntervalMs: 3000,
      maxRetries: 0,
      timeoutMs: 1000,
      retryBaseMs: 1,
      log,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    await Promise.all([spaced.get(`${fake.rssUrl}/a`), spaced.get(`${fake.rssUrl}/b`), spaced.get(`${fake.rssUrl}/c`)]);
    expect(waits).toEqual([3000, 3000]);
    expect(fake.requests.map((request) => request.url.pathname)).toEqual(['/rss/a', '/rss/b', '/rss/c']);
  });

  it('GIVEN a 503 storm WHEN the process stops during the backoff THEN the wait ends at once and nothing more is asked', async () => {
    fake.script('rss', { status: 503 }, { status: 503 });
    const stop = new AbortController();
    // The real timer: a minute of backoff, which the stop must cut short.
    const stoppable = createArxivClient({ minIntervalMs: 3000, maxRetries: 4, timeoutMs: 1000, retryBaseMs: 60_000, log, signal: stop.signal });
    const failing = stoppable.get(`${fake.rssUrl}/cs.DC`);
    const settled = failing.catch((error: unknown) => error);
    await fake.requested(1);
    const stoppedAt = performance.now();
    stop.abort();

    expect(await settled).toBeInstanceOf(StoppedError);
    expect(performance.now() - stoppedAt).toBeLessThan(500);
    expect(fake.requests).toHaveLength(1);
    await expect(stoppable.get(`${fake.rssUrl}/cs.OS`)).rejects.toThrow(StoppedError);
    expect(fake.requests).toHaveLength(1);
  });

  it('GIVEN a request that hangs WHEN the process stops THEN the request is cut at once, not left to its timeout', async () => {
    fake.script('rss', { delayMs: 30_000 });
    const stop = new AbortController();
    const stoppable = createArxivClient({ minIntervalMs: 0, maxRetries: 4, timeoutMs: 30_000, retryBaseMs: 1, log, signal: stop.signal });
    const settled = stoppable.get(`${fake.rssUrl}/cs.DC`).catch((error: unknown) => error);
    await fake.requested(1);
    stop.abort();

    expect(await settled).toBeInstanceOf(StoppedError);
    expect(fake.requests).toHaveLength(1);
  });

  /** What Node's fetch throws when the resolver fails: `TypeError: fetch failed`, the getaddrinfo error as its cause. */
  const resolverFailure = (code: 'ENOTFOUND' | 'EAI_AGAIN'): typeof fetch => {
    return async () => {
      const cause = Object.assign(new Error(`getaddrinfo ${code} export.arxiv.org`), {
        code,
        syscall: 'getaddrinfo',
        hostname: 'export.arxiv.org',
        errno: -3008,
      });
      throw new TypeError('fetch failed', { cause });
    };
  };

  it('GIVEN a host name that does not resolve (ENOTFOUND) THEN it fails after one attempt, naming the host, without backing off', async () => {
    const failure = client({ fetch: resolverFailure('ENOTFOUND') }).get('https://export.arxiv.org/api/query?id_list=1');

    await expect(failure).rejects.toMatchObject({ attempts: 1, retryable: false, status: null });
    await expect(failure).rejects.toThrow('after 1 attempt(s): host export.arxiv.org not found (DNS ENOTFOUND)');
    expect(sleeps).toEqual([]);
  });

  it('GIVEN a failed export-API query THEN the message names the endpoint, not 300 characters of query, and the error keeps the whole URL for the log', async () => {
    const url = 'https://export.arxiv.org/api/query?search_query=%28cat%3Acs.DC%29+AND+submittedDate%3A%5B202611261900+TO+202611271859%5D&start=0';
    const failure = client({ fetch: resolverFailure('ENOTFOUND') }).get(url);

    await expect(failure).rejects.toMatchObject({
      message: 'arXiv request failed after 1 attempt(s): host export.arxiv.org not found (DNS ENOTFOUND) (https://export.arxiv.org/api/query)',
      url,
    });
  });

  it('GIVEN a resolver that cannot answer now (EAI_AGAIN) THEN it is tried once more, not the whole retry chain', async () => {
    const failure = client({ fetch: resolverFailure('EAI_AGAIN') }).get('https://export.arxiv.org/api/query?id_list=1');

    await expect(failure).rejects.toMatchObject({ attempts: 2, retryable: true });
    await expect(failure).rejects.toThrow(/cannot resolve export\.arxiv\.org: the DNS resolver did not answer \(EAI_AGAIN\)/);
    expect(sleeps).toEqual([100]);
  });

  it('GIVEN a URL on a port fetch refuses to use (127.0.0.1:1) THEN it fails after one attempt, naming the port, without backing off', async () => {
    // Node's own fetch: the WHATWG "bad port" list is checked before any connection is made.
    const failure = client().get('http://127.0.0.1:1/rss/cs.DC');

    await expect(failure).rejects.toMatchObject({ attempts: 1, retryable: false, status: null });
    await expect(failure).rejects.toThrow('after 1 attempt(s): port 1 is one that fetch never connects to (a "bad port"); use another port');
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Thu, 01 Jan 1970 00:01:40 GMT', 40_000],
    ['soon', null],
    [null, null],
  ])('GIVEN Retry-After %j THEN the wait is %s ms', (header, expected) => {
    expect(parseRetryAfter(header, 60_000)).toBe(expected);
  });
});
