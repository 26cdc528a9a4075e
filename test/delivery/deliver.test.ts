import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { type DeliverDeps, deliverPlanned, retryDelayMs, retryDue } from '../../src/delivery/deliver.ts';
import { FanOut } from '../../src/delivery/fan-out.ts';
import type { PlannedDelivery } from '../../src/delivery/planned-delivery.ts';
import type { DeliveryProgress, DigestMessage, Messenger, SendResult } from '../../src/domain/delivery.ts';
import { toPaperView } from '../../src/domain/paper-view.ts';
import { createLogger } from '../../src/log.ts';
import { stoppableSleep } from '../../src/stopping.ts';
import { getPaper } from '../../src/store/papers.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { captureStream, fixedClock, openTestApp } from '../helpers/test-app.ts';

const DAY = '2025-12-18';

async function digestPlan(app: App, channelId: string): Promise<PlannedDelivery> {
  const paper = await getPaper(app.db, '2512.10001');
  if (!paper) throw new Error('no paper');
  const message: DigestMessage = { day: DAY, papers: [toPaperView(paper)], tagCounts: [] };
  return {
    key: { kind: 'digest', platform: 'slack', target: channelId, day: DAY },
    papers: [{ id: paper.id, version: paper.version, isUpdate: false, reasons: [] }],
    outgoing: { kind: 'digest', message },
  };
}

describe('deliver', () => {
  let app: App;
  const clock = fixedClock('2025-12-19T00:00:00Z');
  const deps = (messengers: Messenger[], signal?: AbortSignal): DeliverDeps => ({
    db: app.db,
    log: app.log,
    now: clock.now,
    messengers,
    fanOut: new FanOut(async () => undefined),
    settings: { maxAttempts: 3, retryBaseMs: 60_000, claimTimeoutMs: 600_000, holdMs: 7 * 86_400_000 },
    ...(signal ? { signal } : {}),
  });
  beforeEach(async () => {
    clock.set('2025-12-19T00:00:00Z');
    app = await openTestApp({}, { now: clock.now });
    await announce(app, [paperRecord(1)]);
  });
  afterEach(() => app.close());

  it('GIVEN a multi-part digest that fails half way THEN its saved progress comes back on the retry, with the same papers', async () => {
    const seen: { state: string | null; key: string | undefined; papers: string[] }[] = [];
    let tries = 0;
    const partial: Messenger = {
      platform: 'slack',
      async postDigest(_channel: string, digest: DigestMessage, progress?: DeliveryProgress): Promise<SendResult> {
        seen.push({ state: (await progress?.load()) ?? null, key: progress?.key, papers: digest.papers.map((paper) => paper.id) });
        if (tries++ > 0) return { ok: true, ref: 'ts-1' };
        await progress?.save('{"thread":"ts-1","sent":1}');
        return { ok: false, permanent: false, reason: 'timeout after the header' };
      },
      sendAlert: async () => ({ ok: true }),
    };
    await deliverPlanned(deps([partial]), [await digestPlan(app, 'C1')]);
    clock.set('2025-12-19T00:01:00Z');
    const retried = await retryDue(deps([partial]));

    expect(retried.digestsSent).toBe(1);
    expect(seen).toEqual([
      { state: null, key: 'digest:slack:C1:2025-12-18', papers: ['2512.10001'] },
      { state: '{"thread":"ts-1","sent":1}', key: 'digest:slack:C1:2025-12-18', papers: ['2512.10001'] },
    ]);
  });

  it('GIVEN a messenger that throws THEN the delivery is failed for now, the error logged, and retried later', async () => {
    const log = captureStream();
    const throwing: Messenger = {
      platform: 'slack',
      postDigest: async () => {
        throw new Error('socket hang up');
      },
      sendAlert: async () => ({ ok: true }),
    };
    const tally = await deliverPlanned({ ...deps([throwing]), log: createLogger('info', log.stream) }, [await digestPlan(app, 'C1')]);
    expect(tally).toMatchObject({ retrying: 1, digestsSent: 0 });
    expect(log.text()).toContain('messenger threw while sending');
    expect(await app.db.get('SELECT status, error, next_attempt_at FROM deliveries')).toEqual({
      status: 'failed',
      error: 'socket hang up',
      next_attempt_at: '2025-12-19T00:01:00.000Z',
    });
  });

  it('GIVEN no messenger for a platform THEN its deliveries are held untried, and the retry pass of a process that has it sends them once', async () => {
    const tally = await deliverPlanned(deps([]), [await digestPlan(app, 'C1')]);
    expect(tally.noMessenger).toEqual({ slack: 1 });
    expect(await app.db.get('SELECT status, attempts, error, next_attempt_at FROM deliveries')).toEqual({
      status: 'failed',
      attempts: 0,
      error: 'slack is not configured in the process that planned it',
      next_attempt_at: '2025-12-19T00:00:00.000Z',
    });
    // Another process without Slack leaves it alone, and does not count it again.
    expect(await retryDue(deps([]))).toMatchObject({ noMessenger: {}, failed: 0, retrying: 0 });
    expect(await app.db.get('SELECT status, attempts FROM deliveries')).toEqual({ status: 'failed', attempts: 0 });

    const posted: string[][] = [];
    const slack: Messenger = {
      platform: 'slack',
      postDigest: async (_channel, digest) => {
        posted.push(digest.papers.map((paper) => paper.id));
        return { ok: true, ref: 'ts-9' };
      },
      sendAlert: async () => ({ ok: true }),
    };
    clock.set('2025-12-19T03:00:00Z');
    expect(await retryDue(deps([slack]))).toMatchObject({ digestsSent: 1, failed: 0 });
    expect(await retryDue(deps([slack]))).toMatchObject({ digestsSent: 0 });
    expect(posted).toEqual([['2512.10001']]);
    expect(await app.db.get('SELECT status, attempts, ref FROM deliveries')).toEqual({ status: 'sent', attempts: 1, ref: 'ts-9' });
  });

  it('GIVEN no console in this process THEN console deliveries are counted, not held: the console is local to each process', async () => {
    const plan = await digestPlan(app, 'console');
    const tally = await deliverPlanned(deps([]), [{ ...plan, key: { ...plan.key, platform: 'console' } }]);
    expect(tally.noMessenger).toEqual({ console: 1 });
    expect(await app.db.get('SELECT COUNT(*) AS n FROM deliveries')).toEqual({ n: 0 });
  });

  it('GIVEN the retry pass of one day THEN expiries of other days are not counted as its failures', async () => {
    const plan = await digestPlan(app, 'C1');
    await deliverPlanned(deps([]), [{ ...plan, key: { ...plan.key, day: '2025-12-17' } }]);
    clock.set('2026-01-01T00:00:00Z');
    expect(await retryDue(deps([]), DAY)).toMatchObject({ failed: 0 });
    expect(await retryDue(deps([]))).toMatchObject({ failed: 1 });
  });

  it('GIVEN a held delivery no process with its platform picked up within the hold time THEN it is given up, shown failed with why', async () => {
    await deliverPlanned(deps([]), [await digestPlan(app, 'C1')]);
    clock.set('2025-12-25T23:59:00Z');
    expect(await retryDue(deps([]))).toMatchObject({ failed: 0 });
    clock.set('2025-12-26T00:00:01Z');
    expect(await retryDue(deps([]))).toMatchObject({ failed: 1 });
    const sends: string[] = [];
    const slack: Messenger = {
      platform: 'slack',
      postDigest: async (channel) => {
        sends.push(channel);
        return { ok: true };
      },
      sendAlert: async () => ({ ok: true }),
    };
    expect(await retryDue(deps([slack]))).toMatchObject({ digestsSent: 0, failed: 0 });
    expect(sends).toEqual([]);
    expect(await app.db.get('SELECT status, next_attempt_at, error FROM deliveries')).toEqual({
      status: 'failed',
      next_attempt_at: null,
      error: 'slack is not configured in the process that planned it; not sent: no process with this platform ran in time',
    });
  });

  it('GIVEN the run is stopping THEN no new send starts, and what did not start stays unclaimed for the next run', async () => {
    const stop = new AbortController();
    stop.abort();
    const tally = await deliverPlanned(
      deps([{ platform: 'slack', postDigest: async () => ({ ok: true }), sendAlert: async () => ({ ok: true }) }], stop.signal),
      [await digestPlan(app, 'C1')],
    );
    expect(tally).toMatchObject({ notStarted: 1, digestsSent: 0 });
    expect(await app.db.get('SELECT COUNT(*) AS n FROM deliveries')).toEqual({ n: 0 });
  });

  it('GIVEN a platform pausing its queue for a minute (429) WHEN the process stops THEN the pause ends at once, the sends under way are failed to retry, none left claimed, and the rest start nothing', async () => {
    const stop = new AbortController();
    let calls = 0;
    const limited: Messenger = {
      platform: 'slack',
      limits: { perSecond: 100, concurrency: 1 },
      async postDigest() {
        calls++;
        return { ok: false, permanent: false, reason: 'ratelimited', retryAfterMs: 60_000 };
      },
      sendAlert: async () => ({ ok: true }),
    };
    // The real timer the app's sleep uses: a minute of pause unless the stop cuts it short. SIGTERM
    // arrives while the queue is paused.
    const realSleep = stoppableSleep(stop.signal);
    let stoppedAt = 0;
    const sleepThenStop = (ms: number) => {
      const pause = realSleep(ms);
      setImmediate(() => {
        stoppedAt = performance.now();
        stop.abort();
      });
      return pause;
    };
    const paused = { ...deps([limited], stop.signal), fanOut: new FanOut(sleepThenStop) };
    const plans = [await digestPlan(app, 'C1'), await digestPlan(app, 'C2'), await digestPlan(app, 'C3')];

    const tally = await deliverPlanned(paused, plans);

    expect(stoppedAt).toBeGreaterThan(0);
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
    // Sends that had claimed before the stop finish (as failed, to retry); none is left "being sent".
    const rows = await app.db.all<{ target: string; status: string }>('SELECT target, status FROM deliveries ORDER BY target');
    expect(rows.map((row) => row.status)).toEqual(rows.map(() => 'failed'));
    expect(rows.length).toBeLessThan(plans.length);
    expect(calls).toBe(rows.length);
    expect(tally).toMatchObject({ digestsSent: 0, retrying: rows.length, notStarted: plans.length - rows.length });
  });

  it.each([
    [1, 60_000, undefined, 60_000],
    [3, 60_000, undefined, 240_000],
    [10, 60_000, undefined, 3_600_000],
    [1, 60_000, 90_000, 90_000],
  ])('GIVEN try %i with base %i and Retry-After %s THEN the next try is %i ms later', (attempts, base, retryAfter, expected) => {
    expect(retryDelayMs(attempts, base, retryAfter)).toBe(expected);
  });
});
