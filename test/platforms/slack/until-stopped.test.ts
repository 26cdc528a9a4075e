import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { untilStopped } from '../../../src/platforms/slack/until-stopped.ts';

describe('untilStopped', () => {
  it('GIVEN work that settles first THEN its outcome comes back and the stop signal keeps no listener', async () => {
    const stop = new AbortController();
    for (let round = 0; round < 20; round++) await untilStopped(Promise.resolve(round), stop.signal);
    await expect(untilStopped(Promise.reject(new Error('refused')), stop.signal)).rejects.toThrow('refused');
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('GIVEN the stop comes first THEN it answers stopped at once, also when stopped already', async () => {
    const stop = new AbortController();
    const waiting = untilStopped(new Promise(() => undefined), stop.signal);
    stop.abort();
    await expect(waiting).resolves.toBe('stopped');
    await expect(untilStopped(new Promise(() => undefined), stop.signal)).resolves.toBe('stopped');
  });
});
