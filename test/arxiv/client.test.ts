import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArxivFetchError, createArxivClient } from '../../src/arxiv/client.ts';
import { parseRetryAfter } from '../../src/domain/retry-after.ts';
import { createLogger } from '../../src/log.ts';
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
