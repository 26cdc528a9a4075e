import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catchUp } from '../src/catch-up.ts';
import { retryDue } from '../src/delivery/deliver.ts';
import { deliverDeps, runDay } from '../src/run-day.ts';
import { recentRuns } from '../src/store/runs.ts';
import { FakePlatform } from './fakes/recording-messenger.ts';
import { renderRssFeed } from './fakes/rss.ts';
import { answerBy, type DailyRunHarness, dcPaper, digestHere, startDailyRun, subscribe } from './helpers/daily-run.ts';

const thursdayFeed = readFileSync(new URL('./fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');
const THURSDAY = '2025-12-18';

/** The recorded feed's papers, as the fake LLM judges them. */
const THURSDAY_IDS = {
  '2512.16473': { tags: ['MoE', 'offloading', 'serving'], tldr: 'Caches hot experts on the GPU; 2.1x faster decoding.' },
  '2512.16391': { tags: ['serving', 'sparse'], tldr: 'Reuses top-k indices across layers; 4.1x faster decode attention.' },
  '2512.16001': { tags: ['serving', 'agentic'] },
};
const THURSDAY_VERDICTS = answerBy(THURSDAY_IDS);

type Row = { kind: string; platform: string; target: string; status: string; attempts: number; error: string | null };

async function ledger(h: DailyRunHarness): Promise<Row[]> {
  return h.app.db.all<Row>('SELECT kind, platform, target, status, attempts, error FROM deliveries ORDER BY kind, platform, target');
}

describe('the daily run', () => {
  let h: DailyRunHarness;
  beforeEach(async () => {
    h = await startDailyRun({ DISCORD_DIGEST_CHANNELS: 'D-all' });
    h.arxiv.rss = thursdayFeed;
    h.llm.answer = THURSDAY_VERDICTS;
  });
  afterEach(() => h.close());

  it('GIVEN a normal day THEN it ingests, classifies, posts each channel its digest and each matching person one alert, and logs one summary', async () => {
    const slack = new FakePlatform('slack');
    const discord = new FakePlatform('discord');
    await digestHere(h.app, 'slack', 'C-all');
    await digestHere(h.app, 'slack', 'C-moe', ['MoE']);
    await digestHere(h.app, 'slack', 'C-video', ['video']);
    await subscribe(h.app, 'slack', 'U-moe', 'MoE');
    await subscribe(h.app, 'slack', 'U-both', 'MoE "sparse attention"');
    await subscribe(h.app, 'discord', 'D-user', 'training');

    const summary = await runDay(h.app, THURSDAY, { messengers: [slack.messenger(), discord.messenger()] });

    expect(summary).toMatchObject({ day: THURSDAY, status: 'ok', candidates: 4, relevant: 3, digestsSent: 3, alertsSent: 2, failures: 0 });
    expect(summary.tokens).toBeGreaterThan(0);
    const allIds = ['2512.16473', '2512.16391', '2512.16001'];
    expect(slack.to('C-all').map((message) => [...message.paperIds].sort())).toEqual([allIds.sort()]);
    expect(discord.to('D-all').map((message) => message.paperIds.length)).toEqual([3]);
    expect(slack.to('C-moe').map((message) => message.paperIds)).toEqual([['2512.16473']]);
    expect(slack.to('C-video')).toEqual([]);
    const digest = slack.to('C-all')[0]?.message;
    expect(digest && 'tagCounts' in digest ? digest.tagCounts : null).toEqual([
      ['serving', 3],
      ['MoE', 1],
      ['sparse', 1],
      ['offloading', 1],
      ['agentic', 1],
    ]);
    expect(slack.to('U-moe').map((alert) => alert.message.papers.map((paper) => [paper.id, paper.reasons]))).toEqual([[['2512.16473', ['MoE']]]]);
    expect(slack.to('U-both').map((alert) => alert.message.papers.map((paper) => [paper.id, paper.reasons]))).toEqual([
      [
        ['2512.16391', ['phrase: "sparse attention"']],
        ['2512.16473', ['MoE']],
      ],
    ]);
    expect(discord.to('D-user')).toEqual([]);
    expect((await ledger(h)).map((row) => `${row.kind} ${row.target} ${row.status}`)).toEqual([
      'alert U-both sent',
      'alert U-moe sent',
      'digest D-all sent',
      'digest C-all sent',
      'digest C-moe sent',
    ]);
    const lines = h.logs().filter((line) => line.msg === 'daily run finished');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ day: THURSDAY, candidates: 4, relevant: 3, digestsSent: 3, alertsSent: 2, failures: 0, tokens: summary.tokens });
    expect(lines[0]).toHaveProperty('durationMs');
    expect((await recentRuns(h.app.db, 1, 'deliver'))[0]).toMatchObject({ day: THURSDAY, status: 'ok' });
  });

  it('GIVEN the same day run again THEN nothing is sent twice and nothing is fetched or classified again', async () => {
    const slack = new FakePlatform('slack');
    await digestHere(h.app, 'slack', 'C-all');
    await subscribe(h.app, 'slack', 'U-moe', 'MoE');
    await runDay(h.app, THURSDAY, { messengers: [slack.messenger()] });
    const requests = { arxiv: h.arxiv.requests.length, llm: h.llm.requests.length };

    const again = await runDay(h.app, THURSDAY, { messengers: [slack.messenger()] });

    expect(again).toMatchObject({ status: 'ok', digestsSent: 0, alertsSent: 0 });
    expect(slack.delivered).toHaveLength(2);
    expect({ arxiv: h.arxiv.requests.length, llm: h.llm.requests.length }).toEqual(requests);
  });

  it('GIVEN a weekend THEN the Saturday and Sunday runs fetch nothing and post nothing, and Monday posts Monday', async () => {
    const slack = new FakePlatform('slack');
    await digestHere(h.app, 'slack', 'C-all');
    await runDay(h.app, THURSDAY, { messengers: [slack.messenger()] });
    h.arxiv.rss = renderRssFeed('2025-12-19', [{ paper: dcPaper('2512.20001', 'Friday Serving'), type: 'new' }]);
    h.llm.answer = answerBy({ '2512.20001': { tags: ['serving'] }, '2512.22001': { tags: ['training'] } });
    h.clock.set('2025-12-20T00:00:00Z');
    await catchUp(h.app, { messengers: [slack.messenger()] });
    const before = { requests: h.arxiv.requests.length, posts: slack.delivered.length };

    const saturday = await runDay(h.app, '2025-12-20', { messengers: [slack.messenger()] });
    for (const tick of ['2025-12-21T00:00:00Z', '2025-12-22T00:00:00Z']) {
      h.clock.set(tick);
      expect((await catchUp(h.app, { messengers: [slack.messenger()] })).days).toEqual([]);
    }

    expect(saturday).toMatchObject({ status: 'empty', digestsSent: 0, alertsSent: 0 });
    expect({ requests: h.arxiv.requests.length, posts: slack.delivered.length }).toEqual(before);
    h.arxiv.rss = renderRssFeed('2025-12-22', [{ paper: dcPaper('2512.22001', 'Monday Training'), type: 'new' }]);
    h.clock.set('2025-12-23T00:00:00Z');
    const monday = await catchUp(h.app, { messengers: [slack.messenger()] });
    expect(monday.days.map((day) => [day.day, day.status, day.digestsSent])).toEqual([['2025-12-22', 'ok', 1]]);
    expect(slack.to('C-all').map((message) => [message.day, message.paperIds])).toEqual([
      [THURSDAY, expect.any(Array)],
      ['2025-12-19', ['2512.20001']],
      ['2025-12-22', ['2512.22001']],
    ]);
  });

  it('GIVEN a channel that fails permanently THEN it is recorded once, never retried, and the others are unaffected', async () => {
    const slack = new FakePlatform('slack');
    slack.fail('C-gone', { ok: false, permanent: true, reason: 'channel_not_found' });
    await digestHere(h.app, 'slack', 'C-gone');
    await digestHere(h.app, 'slack', 'C-all');
    await subscribe(h.app, 'slack', 'U-moe', 'MoE');

    const summary = await runDay(h.app, THURSDAY, { messengers: [slack.messenger()] });
    h.clock.advance(24 * 3_600_000);
    const retried = await retryDue(deliverDeps(h.app, { messengers: [slack.messenger()] }));

    expect(summary).toMatchObject({ digestsSent: 1, alertsSent: 1, failures: 1, retrying: 0 });
    expect(retried).toMatchObject({ digestsSent: 0, failed: 0, retrying: 0 });
    expect(slack.calls.filter((call) => call.target === 'C-gone')).toHaveLength(1);
    expect((await ledger(h)).find((row) => row.target === 'C-gone')).toMatchObject({ status: 'permanent', attempts: 1, error: 'channel_not_found' });
    expect(slack.to('C-all')).toHaveLength(1);
  });

  it('GIVEN a channel failing for a passing reason THEN it is retried with backoff at most DELIVERY_MAX_ATTEMPTS times, then left failed', async () => {
    h = await restartWith(h, { DELIVERY_MAX_ATTEMPTS: '3' });
    const slack = new FakePlatform('slack');
    slack.fail('C-flaky', { ok: false, permanent: false, reason: 'internal_error' });
    await digestHere(h.app, 'slack', 'C-flaky');
    await runDay(h.app, THURSDAY, { messengers: [slack.messenger()] });
    const deps = deliverDeps(h.app, { messengers: [slack.messenger()] });

    expect(await retryDue(deps)).toMatchObject({ retrying: 0, failed: 0 }); // not due yet
    h.clock.advance(60_000);
    expect(await retryDue(deps)).toMatchObject({ retrying: 1 });
    h.clock.advance(120_000);
    expect(await retryDue(deps)).toMatchObject({ failed: 1 });
    h.clock.advance(24 * 3_600_000);
    expect(await retryDue(deps)).toMatchObject({ retrying: 0, failed: 0 });

    expect(slack.calls.filter((call) => call.target === 'C-flaky')).toHaveLength(3);
    expect((await ledger(h)).find((row) => row.target === 'C-flaky')).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('GIVEN a digest held for a process with Slack THEN the one that sends it later groups and heads it as it was composed', async () => {
    // training and RL tie at one paper each: the vocabulary lists training first, the alphabet RL.
    h.llm.answer = answerBy({ '2512.16473': { tags: ['training'] }, '2512.16391': { tags: ['RL'] } });
    await digestHere(h.app, 'slack', 'C-held');
    const held = await runDay(h.app, THURSDAY, { messengers: [] });
    expect(held).toMatchObject({ status: 'ok', digestsSent: 0, noMessenger: 2 }); // and Discord's D-all

    const slack = new FakePlatform('slack');
    expect(await retryDue(deliverDeps(h.app, { messengers: [slack.messenger()] }))).toMatchObject({ digestsSent: 1 });
    const digest = slack.to('C-held')[0];
    expect(digest?.paperIds).toEqual(['2512.16473', '2512.16391']);
    expect(digest?.message && 'tagCounts' in digest.message ? digest.message.tagCounts : null).toEqual([
      ['training', 1],
      ['RL', 1],
    ]);
  });
});

describe('a restart after the process was killed halfway through 200 DMs', () => {
  let h: DailyRunHarness;
  beforeEach(async () => {
    h = await startDailyRun();
    h.arxiv.rss = thursdayFeed;
    h.llm.answer = THURSDAY_VERDICTS;
    for (let n = 1; n <= 200; n++) await subscribe(h.app, 'discord', `user-${String(n).padStart(3, '0')}`, 'serving');
  });
  afterEach(() => h.close());

  /** Where the ledger stands: rows by status. */
  async function statuses(app: DailyRunHarness['app']) {
    const rows = await app.db.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status');
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  it('GIVEN the kill lands after the platform accepted DM #100 and before the ledger marked it THEN the restart sends every other DM once and finds #100 already there', async () => {
    const discord = new FakePlatform('discord');
    const doomed = discord.messenger({ canReconcile: true, limits: { perSecond: 1000, concurrency: 4 } });
    const died = doomed.killAfter(100);
    // This process never finishes: from the kill on, its sends hang, and no new one starts.
    void runDay(h.app, THURSDAY, { messengers: [doomed] });
    await died;
    expect(discord.delivered).toHaveLength(100);

    const restarted = await h.reopen();
    const messenger = discord.messenger({ canReconcile: true, limits: { perSecond: 1000, concurrency: 4 } });
    const rerun = await runDay(restarted, THURSDAY, { messengers: [messenger] });
    // DM #100 and the sends in flight at the kill are still claimed: too recent to tell from a live process still sending them.
    const stuck = (await statuses(restarted)).claimed ?? 0;
    expect(stuck).toBeGreaterThanOrEqual(1);
    expect(discord.delivered).toHaveLength(200 - (stuck - 1));
    expect(rerun.alertsSent).toBe(200 - 100 - (stuck - 1));

    h.clock.advance(restarted.config.DELIVERY_CLAIM_TIMEOUT_MS + 1);
    const later = await catchUp(restarted, { messengers: [messenger] });

    expect(later.retried).toMatchObject({ alertsSent: stuck, reconciled: 1, failed: 0 });
    const recipients = discord.delivered.map((message) => message.target);
    expect(recipients).toHaveLength(200);
    expect(new Set(recipients).size).toBe(200);
    expect(await statuses(restarted)).toEqual({ sent: 200 });
  });

  it('GIVEN a messenger that cannot look a send up again THEN the one DM in flight at the kill is sent twice, and none is missing', async () => {
    const discord = new FakePlatform('discord');
    const doomed = discord.messenger({ limits: { perSecond: 1000, concurrency: 1 } });
    const died = doomed.killAfter(100);
    void runDay(h.app, THURSDAY, { messengers: [doomed] });
    await died;
    const inFlight = discord.delivered[99]?.target;

    const restarted = await h.reopen();
    const messenger = discord.messenger({ limits: { perSecond: 1000, concurrency: 1 } });
    await runDay(restarted, THURSDAY, { messengers: [messenger] });
    h.clock.advance(restarted.config.DELIVERY_CLAIM_TIMEOUT_MS + 1);
    await catchUp(restarted, { messengers: [messenger] });

    const recipients = discord.delivered.map((message) => message.target);
    expect(new Set(recipients).size).toBe(200);
    expect(recipients.filter((target) => target === inFlight)).toHaveLength(2);
    expect(recipients).toHaveLength(201);
    expect(await statuses(restarted)).toEqual({ sent: 200 });
  });
});

describe('rate limits', () => {
  let h: DailyRunHarness;
  beforeEach(async () => {
    h = await startDailyRun();
    h.arxiv.rss = thursdayFeed;
    h.llm.answer = THURSDAY_VERDICTS;
    for (let n = 1; n <= 50; n++) await subscribe(h.app, 'discord', `user-${n}`, 'serving');
  });
  afterEach(() => h.close());

  it('GIVEN a 429 storm THEN the platform queue pauses as asked, the interrupted sends resume first, and every DM arrives once', async () => {
    const discord = new FakePlatform('discord');
    discord.rateLimit(20, 2000);
    h.duringSleep = (sleeping) => {
      discord.paused = sleeping;
    };

    const summary = await runDay(h.app, THURSDAY, { messengers: [discord.messenger({ limits: { perSecond: 1000, concurrency: 4 } })] });

    expect(summary).toMatchObject({ alertsSent: 50, failures: 0 });
    expect(new Set(discord.delivered.map((message) => message.target)).size).toBe(50);
    expect(discord.delivered).toHaveLength(50);
    expect(discord.calls.filter((call) => call.answer === false)).toHaveLength(20);
    const pauses = h.sleeps.filter((ms) => ms === 2000).length;
    // The sends turned away together share one pause (each waiting on its own would make 20 waits).
    expect(pauses).toBeGreaterThan(0);
    expect(pauses).toBeLessThan(20 / 2);
    // While paused no new send starts: only those already under way (concurrency 4, so at most 3 others) may reach the platform.
    expect(discord.calls.filter((call) => call.duringPause).length).toBeLessThanOrEqual(pauses * 3);
    const attempts = await h.app.db.all<{ attempts: number }>('SELECT DISTINCT attempts FROM deliveries');
    expect(attempts).toEqual([{ attempts: 1 }]);
  });

  it('GIVEN a storm that does not end THEN each send gives up for now after waiting it out a few times, and is retried later, none lost', async () => {
    const discord = new FakePlatform('discord');
    discord.rateLimit(Number.POSITIVE_INFINITY, 1000);
    const messenger = discord.messenger({ limits: { perSecond: 1000, concurrency: 4 } });

    const summary = await runDay(h.app, THURSDAY, { messengers: [messenger] });
    expect(summary).toMatchObject({ alertsSent: 0, retrying: 50 });

    discord.rateLimit(0, 1000);
    h.clock.advance(3_600_000);
    const later = await retryDue(deliverDeps(h.app, { messengers: [messenger] }));
    expect(later).toMatchObject({ alertsSent: 50 });
    expect(new Set(discord.delivered.map((message) => message.target)).size).toBe(50);
  });
});

describe('a paper updated to v2 the next day', () => {
  let h: DailyRunHarness;
  const lotus = dcPaper('2512.10001', 'Lotus: Disaggregated Locks', { abstract: 'Disaggregated memory needs new locks. Lotus makes them fast.' });
  beforeEach(async () => {
    h = await startDailyRun({}, '2025-12-18T00:00:00Z');
    h.arxiv.rss = renderRssFeed('2025-12-17', [
      { paper: lotus, type: 'new' },
      { paper: dcPaper('2512.10002', 'Paged Attention Revisited'), type: 'new' },
    ]);
    h.llm.answer = answerBy({ '2512.10001': { tags: ['storage'] }, '2512.10002': { tags: ['serving'] }, ...THURSDAY_IDS });
  });
  afterEach(() => h.close());

  it('GIVEN a person alerted about v1 THEN the next day mentions v2 to them once, as an update, and to nobody else', async () => {
    const slack = new FakePlatform('slack');
    await digestHere(h.app, 'slack', 'C-all');
    await subscribe(h.app, 'slack', 'U-early', 'disaggregated');
    await runDay(h.app, '2025-12-17', { messengers: [slack.messenger()] });
    await subscribe(h.app, 'slack', 'U-late', 'disaggregated');
    h.arxiv.rss = thursdayFeed;
    h.clock.set('2025-12-19T00:00:00Z');

    await runDay(h.app, THURSDAY, { messengers: [slack.messenger()] });
    await runDay(h.app, THURSDAY, { messengers: [slack.messenger()] });

    const early = slack.to('U-early');
    expect(early.map((alert) => alert.day)).toEqual(['2025-12-17', THURSDAY]);
    expect(early[0]?.message.papers.map((paper) => [paper.id, paper.version, paper.isUpdate ?? false])).toEqual([['2512.10001', 1, false]]);
    expect(early[1]?.message.papers.map((paper) => [paper.id, paper.version, paper.isUpdate, paper.title])).toEqual([
      ['2512.10001', 2, true, 'Lotus: Optimizing Disaggregated Transactions with Disaggregated Locks'],
    ]);
    expect(early[1]?.message.papers[0]?.reasons).toEqual(['keyword: disaggregated']);
    expect(slack.to('U-late')).toEqual([]);
    const thursdayDigest = slack.to('C-all').find((message) => message.day === THURSDAY);
    expect(thursdayDigest?.paperIds).not.toContain('2512.10001');
  });
});

/** The harness again with more settings (a fresh database). */
async function restartWith(previous: DailyRunHarness, env: Record<string, string>): Promise<DailyRunHarness> {
  await previous.close();
  const next = await startDailyRun({ DISCORD_DIGEST_CHANNELS: 'D-all', ...env });
  next.arxiv.rss = thursdayFeed;
  next.llm.answer = THURSDAY_VERDICTS;
  return next;
}
