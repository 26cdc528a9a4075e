import { readFileSync } from 'node:fs';
import type { TaskOptions } from 'node-cron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestMessage, Messenger, SendResult } from '../src/domain/delivery.ts';
import { createScheduler, LEDGER_POLL_MS, RERUN_AFTER_MS, type Schedule, type Timers } from '../src/scheduler.ts';
import { claimNew, holdNew } from '../src/store/ledger.ts';
import { recentRuns } from '../src/store/runs.ts';
import { FakePlatform } from './fakes/recording-messenger.ts';
import { answerBy, type DailyRunHarness, digestHere, startDailyRun } from './helpers/daily-run.ts';

const thursdayFeed = readFileSync(new URL('./fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

/** node-cron stand-in: remembers the task so the test can fire a tick by hand. */
function recordingSchedule() {
  const tasks: { expression: string; options: TaskOptions; fire: () => Promise<unknown>; stopped: boolean }[] = [];
  const schedule: Schedule = (expression, run, options) => {
    const task = { expression, options, fire: run, stopped: false };
    tasks.push(task);
    return {
      stop() {
        task.stopped = true;
      },
    };
  };
  return { schedule, tasks };
}

/** setTimeout stand-in: wake-ups are recorded and fired by the test. */
function recordingTimers() {
  const wakeUps: { ms: number; run: () => void; cleared: boolean; fired: boolean }[] = [];
  const timers: Timers = {
    setTimeout(run, ms) {
      const wakeUp = {
        ms,
        run() {
          wakeUp.fired = true;
          run();
        },
        cleared: false,
        fired: false,
      };
      wakeUps.push(wakeUp);
      return wakeUp;
    },
    clearTimeout(handle) {
      (handle as { cleared: boolean }).cleared = true;
    },
  };
  return { timers, wakeUps, pending: () => wakeUps.filter((wakeUp) => !wakeUp.cleared && !wakeUp.fired) };
}

/** Resolves once `done()` holds (checked every few ms, for at most 2 s): the scheduler re-arms after an async ledger read. */
async function until(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); ) {
    if (Date.now() - started > 2000) throw new Error('condition not reached within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('scheduler', () => {
  let h: DailyRunHarness;
  let slack: FakePlatform;
  beforeEach(async () => {
    h = await startDailyRun({ DIGEST_CRON: '0 8 * * *', DIGEST_TIMEZONE: 'Asia/Shanghai' });
    h.arxiv.rss = thursdayFeed;
    h.llm.answer = answerBy({ '2512.16473': { tags: ['MoE'] } });
    slack = new FakePlatform('slack');
    await digestHere(h.app, 'slack', 'C-all');
  });
  afterEach(() => h.close());

  it('GIVEN start THEN the daily job runs on DIGEST_CRON in DIGEST_TIMEZONE without overlap, and the latest day is delivered at once', async () => {
    const cron = recordingSchedule();
    const scheduler = createScheduler({ app: h.app, messengers: [slack.messenger()], schedule: cron.schedule, timers: recordingTimers().timers });

    const started = await scheduler.start();

    expect(cron.tasks.map((task) => [task.expression, task.options.timezone, task.options.noOverlap])).toEqual([['0 8 * * *', 'Asia/Shanghai', true]]);
    expect(started?.days.map((day) => [day.day, day.status])).toEqual([['2025-12-18', 'ok']]);
    expect(slack.to('C-all')).toHaveLength(1);
    await scheduler.stop();
    expect(cron.tasks[0]?.stopped).toBe(true);
  });

  it('GIVEN the process stopping (before serve stops the scheduler) THEN a tick starts no run and arms no wake-up', async () => {
    const { schedule, tasks } = recordingSchedule();
    const { timers, wakeUps } = recordingTimers();
    const stopping = { ...h.app, signal: AbortSignal.abort() };
    const scheduler = createScheduler({ app: stopping, messengers: [slack.messenger()], schedule, timers });
    await scheduler.start();

    expect(await tasks[0]?.fire()).toBeNull();
    expect(wakeUps).toEqual([]);
    expect(h.arxiv.requests).toEqual([]);
    await scheduler.stop();
  });

  it('GIVEN a tick while the run is still going THEN no second run starts', async () => {
    const gate = Promise.withResolvers<void>();
    const reached = Promise.withResolvers<void>();
    const posts: string[] = [];
    const slow: Messenger = {
      platform: 'slack',
      async postDigest(channelId: string, _digest: DigestMessage): Promise<SendResult> {
        posts.push(channelId);
        reached.resolve();
        await gate.promise;
        return { ok: true };
      },
      sendAlert: async () => ({ ok: true }),
    };
    const cron = recordingSchedule();
    const scheduler = createScheduler({ app: h.app, messengers: [slow], schedule: cron.schedule, timers: recordingTimers().timers });

    const first = scheduler.start();
    await reached.promise;
    const tick = await cron.tasks[0]?.fire();
    gate.resolve();

    expect(tick).toBeNull();
    expect((await first)?.days).toHaveLength(1);
    expect(posts).toEqual(['C-all']);
    expect(await recentRuns(h.app.db, 10, 'deliver')).toHaveLength(1);
    await scheduler.stop();
  });

  it('GIVEN a digest that failed for a passing reason THEN the scheduler wakes when it is due and sends it', async () => {
    slack.fail('C-all', { ok: false, permanent: false, reason: 'internal_error' });
    const wake = recordingTimers();
    const scheduler = createScheduler({ app: h.app, messengers: [slack.messenger()], schedule: recordingSchedule().schedule, timers: wake.timers });
    await scheduler.start();

    expect(wake.pending().map((wakeUp) => wakeUp.ms)).toEqual([h.app.config.DELIVERY_RETRY_BASE_MS]);
    slack.recover('C-all');
    h.clock.advance(h.app.config.DELIVERY_RETRY_BASE_MS);
    wake.pending()[0]?.run();
    await slack.waitForDelivered(1);

    expect(slack.to('C-all').map((message) => message.day)).toEqual(['2025-12-18']);
    await scheduler.stop();
    expect(wake.pending()).toEqual([]);
  });

  it('GIVEN a claim left by a process that died THEN the restarted scheduler leaves it alone until it is stale, then sends it', async () => {
    const wake = recordingTimers();
    await claimNew(h.app.db, { kind: 'digest', platform: 'slack', target: 'C-all', day: '2025-12-18' }, [], h.app.now().toISOString());
    const scheduler = createScheduler({ app: h.app, messengers: [slack.messenger()], schedule: recordingSchedule().schedule, timers: wake.timers });

    await scheduler.start();
    expect(slack.delivered).toEqual([]);
    expect(wake.pending().map((wakeUp) => wakeUp.ms)).toEqual([h.app.config.DELIVERY_CLAIM_TIMEOUT_MS]);

    h.clock.advance(h.app.config.DELIVERY_CLAIM_TIMEOUT_MS + 1);
    wake.pending()[0]?.run();
    await slack.waitForDelivered(1);
    expect(slack.to('C-all').map((message) => message.day)).toEqual(['2025-12-18']);
    await scheduler.stop();
  });

  it('GIVEN the LLM down at the tick THEN the latest day waits for its verdicts instead of going out without them, and goes out on the rerun', async () => {
    h.llm.script({ kind: 'status', status: 500 });
    const wake = recordingTimers();
    const scheduler = createScheduler({ app: h.app, messengers: [slack.messenger()], schedule: recordingSchedule().schedule, timers: wake.timers });

    const first = await scheduler.start();
    expect(first?.days.map((day) => [day.status, day.unclassified])).toEqual([['waiting', 3]]);
    expect(slack.delivered).toEqual([]);
    expect(wake.pending().map((wakeUp) => wakeUp.ms)).toEqual([RERUN_AFTER_MS]);

    h.clock.advance(RERUN_AFTER_MS);
    wake.pending()[0]?.run();
    await slack.waitForDelivered(1);
    expect(slack.to('C-all')[0]?.paperIds).toEqual(['2512.16473']);
    await scheduler.stop();
  });

  it('GIVEN nothing due THEN the idle scheduler looks in the ledger every LEDGER_POLL_MS, and sends what another process held for it', async () => {
    const wake = recordingTimers();
    const scheduler = createScheduler({ app: h.app, messengers: [slack.messenger()], schedule: recordingSchedule().schedule, timers: wake.timers });
    await scheduler.start();
    await slack.waitForDelivered(1);
    expect(wake.pending().map((wakeUp) => wakeUp.ms)).toEqual([LEDGER_POLL_MS]);

    // Nothing new: the poll only looks again.
    h.clock.advance(LEDGER_POLL_MS);
    wake.pending()[0]?.run();
    await until(() => wake.pending().length === 1);
    expect(wake.pending().map((wakeUp) => wakeUp.ms)).toEqual([LEDGER_POLL_MS]);
    expect(await recentRuns(h.app.db, 10, 'deliver')).toHaveLength(1);

    // A `digest` run elsewhere, without Slack, held a digest for a channel of ours.
    await holdNew(
      h.app.db,
      { kind: 'digest', platform: 'slack', target: 'C-new', day: '2025-12-18' },
      [],
      'slack is not configured',
      h.app.now().toISOString(),
    );
    h.clock.advance(LEDGER_POLL_MS);
    wake.pending()[0]?.run();
    await until(() => wake.pending().length === 1);
    expect(wake.pending().map((wakeUp) => wakeUp.ms)).toEqual([0]);
    wake.pending()[0]?.run();
    await slack.waitForDelivered(2);
    expect(slack.to('C-new').map((message) => message.day)).toEqual(['2025-12-18']);
    await scheduler.stop();
  });
});
