import { print } from './cli-command.ts';

/** The part of `process` used here; tests pass an EventEmitter. */
export type SignalSource = {
  on(event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
};

export type StopOnSignals = {
  /** Aborted by the first SIGTERM or SIGINT. */
  readonly signal: AbortSignal;
  /** Removes the listeners (the command is over). */
  dispose(): void;
};

/** 128 + the signal's number: what a shell reports for a process ended by it. */
const EXIT_CODES: Record<'SIGTERM' | 'SIGINT', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * One clean stop for every command. The first SIGTERM or Ctrl-C aborts the signal: waits and
 * retries end, no new send starts, the sends under way finish and are recorded, and the command
 * returns. A second one exits at once (`exit`), saying what that may leave behind.
 */
export function stopOnSignals(source: SignalSource, stderr: NodeJS.WritableStream, exit: (code: number) => void): StopOnSignals {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    const name = signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
    if (!controller.signal.aborted) {
      print(stderr, `${name}: stopping — finishing what is under way (again to stop at once)`);
      controller.abort();
      return;
    }
    print(stderr, `${name} again: exiting now; sends under way are looked at again by a later run`);
    exit(EXIT_CODES[name]);
  };
  source.on('SIGTERM', onSignal);
  source.on('SIGINT', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      source.off('SIGTERM', onSignal);
      source.off('SIGINT', onSignal);
    },
  };
}

/** How long a finished command waits for the event loop to empty on its own. */
export const EXIT_GRACE_MS = 2000;

/**
 * After the command returned and closed what it opened, the process should end by itself. A
 * third-party client that keeps a retry loop going (an SDK reconnecting for ever) must not keep a
 * stopped process alive past `docker stop`'s 10 s: if the process is still here after the grace,
 * it exits — once stdout has drained, so no output is cut off. The timer is unref'd: a process that
 * ends on its own never sees it.
 */
export function exitIfStillRunning(code: number, stdout: NodeJS.WriteStream, stderr: NodeJS.WritableStream, exit: (code: number) => void): void {
  const leave = () => {
    if (stdout.writableLength > 0) {
      stdout.once('drain', leave);
      return;
    }
    print(stderr, 'lmsys-papers: something kept running after the command ended (a client library retrying); exiting');
    exit(code);
  };
  setTimeout(leave, EXIT_GRACE_MS).unref();
}
