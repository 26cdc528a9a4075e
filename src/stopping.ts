import { setTimeout as delay } from 'node:timers/promises';

export type Sleep = (ms: number) => Promise<void>;

/**
 * The process was asked to stop (SIGTERM, Ctrl-C) while waiting or fetching: the work is left for
 * the next run, not failed for good. Waits and requests given the stop signal end with this.
 */
export class StoppedError extends Error {
  override readonly name = 'StoppedError';
  constructor(message = 'stopped: lmsys-papers is shutting down') {
    super(message);
  }
}

export function isStopped(error: unknown): error is StoppedError {
  return error instanceof StoppedError;
}

/** A signal that never aborts, for code run without a process around it (tests, the bench). */
export const NEVER_STOPS: AbortSignal = new AbortController().signal;

/**
 * A sleep that ends early with StoppedError when `signal` aborts. Without `base` it is a real timer,
 * cleared on stop, so nothing keeps a stopping process alive; with `base` (a test's clock-moving
 * sleep) the stop wins the race.
 */
export function stoppableSleep(signal: AbortSignal, base?: Sleep): Sleep {
  if (!base) {
    return async (ms) => {
      try {
        await delay(ms, undefined, { signal });
      } catch (error) {
        if (signal.aborted) throw new StoppedError();
        throw error;
      }
    };
  }
  return (ms) => {
    if (signal.aborted) return Promise.reject(new StoppedError());
    return new Promise<void>((resolve, reject) => {
      const stop = () => reject(new StoppedError());
      signal.addEventListener('abort', stop, { once: true });
      base(ms).then(
        () => {
          signal.removeEventListener('abort', stop);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', stop);
          reject(error);
        },
      );
    });
  };
}

/** Resolves when `signal` aborts (at once if it has). */
export function whenStopped(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
