import { describe, expect, it } from 'vitest';
import { FanOut } from '../../src/delivery/fan-out.ts';
import type { Messenger } from '../../src/domain/delivery.ts';

function messenger(concurrency: number): Messenger {
  return {
    platform: 'discord',
    limits: { perSecond: Number.POSITIVE_INFINITY, concurrency },
    postDigest: async () => ({ ok: true }),
    sendAlert: async () => ({ ok: true }),
  };
}

/** A sleep the test ends by hand. */
function manualSleep() {
  const sleeps: { ms: number; end: () => void }[] = [];
  const sleep = (ms: number) => new Promise<void>((end) => sleeps.push({ ms, end }));
  return { sleep, sleeps };
}

const turn = () => new Promise((done) => setImmediate(done));

describe('FanOut', () => {
  it('GIVEN a messenger allowing 2 sends at once THEN its queue never runs more', async () => {
    const queue = new FanOut(manualSleep().sleep).queueFor(messenger(2));
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await turn();
      running--;
    };
    await Promise.all(Array.from({ length: 10 }, () => queue.run(task, 0)));
    expect(most).toBe(2);
  });

  it('GIVEN a rate limit THEN nothing new starts until the pause ends, and answers to requests sent before it do not pause again', async () => {
    const { sleep, sleeps } = manualSleep();
    const queue = new FanOut(sleep).queueFor(messenger(1));
    const started: number[] = [];
    const before = queue.generation;

    const pause = queue.slowDown(2000, before);
    const joined = queue.slowDown(5000, before);
    const runs = [1, 2, 3].map((n) => queue.run(async () => started.push(n), 0));
    await turn();
    expect(started).toEqual([]);
    expect(sleeps.map((entry) => entry.ms)).toEqual([2000]);

    sleeps[0]?.end();
    await Promise.all([pause, joined, ...runs]);
    expect(started).toEqual([1, 2, 3]);
    // A late 429 for a request that left before the pause: the pause already covered it.
    await queue.slowDown(2000, before);
    expect(sleeps).toHaveLength(1);
    expect({ pauses: queue.pauses, pausedMs: queue.pausedMs }).toEqual({ pauses: 1, pausedMs: 2000 });
  });

  it('GIVEN two platforms THEN a pause of one does not hold up the other', async () => {
    const { sleep } = manualSleep();
    const fanOut = new FanOut(sleep);
    const slack = fanOut.queueFor({ ...messenger(1), platform: 'slack' });
    const discord = fanOut.queueFor(messenger(1));
    void slack.slowDown(1000, slack.generation);
    expect(await discord.run(async () => 'sent', 0)).toBe('sent');
    expect(fanOut.pauses()).toEqual([
      { platform: 'slack', pauses: 1, pausedMs: 1000 },
      { platform: 'discord', pauses: 0, pausedMs: 0 },
    ]);
  });
});
