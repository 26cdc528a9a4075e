import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../src/platforms/slack/channel-pacer.ts';

/** A clock that only moves when the pacer sleeps, so spacing is exact and instant. */
function virtualTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ChannelPacer', () => {
  it('GIVEN three sends to one channel THEN each starts a full interval after the previous one finished', async () => {
    const time = virtualTime();
    const pacer = new ChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    const starts: number[] = [];
    const send = () =>
      pacer.run('C1', async () => {
        starts.push(time.now());
        time.advance(50); // the request takes 50 ms
      });
    await Promise.all([send(), send(), send()]);
    expect(starts).toEqual([0, 1050, 2100]);
  });

  it('GIVEN sends to different channels THEN none waits for another', async () => {
    const time = virtualTime();
    const pacer = new ChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    await Promise.all(['C1', 'C2', 'C3'].map((channel) => pacer.run(channel, async () => channel)));
    expect(time.sleeps).toEqual([]);
  });

  it('GIVEN a send that fails THEN the next one in the channel still runs, after the interval', async () => {
    const time = virtualTime();
    const pacer = new ChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    const failed = pacer.run('C1', async () => {
      throw new Error('boom');
    });
    const next = pacer.run('C1', async () => 'sent');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('sent');
    expect(time.sleeps).toEqual([1000]);
  });

  it('GIVEN results THEN each caller gets its own, in order', async () => {
    const pacer = new ChannelPacer({ intervalMs: 0 });
    const results = await Promise.all([1, 2, 3].map((n) => pacer.run('C1', async () => n * 10)));
    expect(results).toEqual([10, 20, 30]);
  });
});
