import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { START_GRACE_MS, startUnlessStopped } from '../../src/cli/serve.ts';
import type { RunningPart, ServePart, StartContext } from '../../src/cli/serve-part.ts';
import { stopOnSignals } from '../../src/cli/stop-on-signals.ts';
import { createLogger } from '../../src/log.ts';
import { captureStream } from '../helpers/test-app.ts';

describe('one clean stop for every command', () => {
  it('GIVEN a first SIGTERM THEN the stop signal aborts and says a second one stops at once; the second exits 143', () => {
    const process = new EventEmitter();
    const stderr = captureStream();
    const exits: number[] = [];
    const stop = stopOnSignals(process, stderr.stream, (code) => exits.push(code));

    process.emit('SIGTERM', 'SIGTERM');

    expect(stop.signal.aborted).toBe(true);
    expect(exits).toEqual([]);
    expect(stderr.text()).toBe('SIGTERM: stopping — finishing what is under way (again to stop at once)\n');

    process.emit('SIGTERM', 'SIGTERM');

    expect(exits).toEqual([143]);
    expect(stderr.text()).toMatch(/\nSIGTERM again: exiting now; sends under way are looked at again by a later run\n$/);
    stop.dispose();
  });

  it('GIVEN Ctrl-C twice THEN the second exits 130; after dispose the listeners are gone', () => {
    const process = new EventEmitter();
    const exits: number[] = [];
    const stop = stopOnSignals(process, captureStream().stream, (code) => exits.push(code));

    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    stop.dispose();

    expect(exits).toEqual([130]);
    expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('serve does not wait for a part that is still starting', () => {
  const app = { log: createLogger('silent') } as unknown as App;
  const context = (signal: AbortSignal): StartContext => ({ app, io: {} as StartContext['io'], signal, requestStop: () => undefined, messengers: [] });

  it('GIVEN a part whose start never ends WHEN serve is stopped THEN it gives up on it after the grace, and stops it should it start later', async () => {
    let finishStart: (part: RunningPart) => void = () => undefined;
    const hanging: ServePart = { name: 'stuck', start: () => new Promise((resolve) => (finishStart = resolve)) };
    const stop = new AbortController();
    let stopped = 0;

    const starting = startUnlessStopped(hanging, context(stop.signal), app);
    const stoppedAt = performance.now();
    stop.abort();

    expect(await starting).toBeNull();
    expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(START_GRACE_MS - 50);
    expect(performance.now() - stoppedAt).toBeLessThan(START_GRACE_MS + 1000);
    const stoppedLate = new Promise<void>((resolve) => {
      finishStart({
        stop: async () => {
          stopped++;
          resolve();
        },
      });
    });
    await stoppedLate;
    expect(stopped).toBe(1);
  });

  it('GIVEN a start that fails just after the stop (a refused token) THEN the failure is still reported', async () => {
    const stop = new AbortController();
    const refused: ServePart = {
      name: 'refused',
      start: () => new Promise((_, reject) => setTimeout(() => reject(new Error('Slack refused SLACK_BOT_TOKEN')), 20)),
    };

    const starting = startUnlessStopped(refused, context(stop.signal), app);
    stop.abort();

    await expect(starting).rejects.toThrow('Slack refused SLACK_BOT_TOKEN');
  });

  it('GIVEN a part that starts THEN serve gets it', async () => {
    const part: RunningPart = { stop: async () => undefined };
    const quick: ServePart = { name: 'quick', start: async () => part };

    expect(await startUnlessStopped(quick, context(new AbortController().signal), app)).toBe(part);
  });
});
