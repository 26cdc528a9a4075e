import type { App } from '../app.ts';
import type { Messenger } from '../domain/delivery.ts';
import type { CliIo } from './cli-command.ts';

/** A running piece of `serve` (a chat adapter, the scheduler, the web server). */
export type RunningPart = {
  /** Where the daily delivery can send digests and alerts through this part, if anywhere. */
  readonly messenger?: Messenger;
  /** Stops taking new work, lets work in flight finish, releases its resources. */
  stop(): Promise<void>;
};

export type StartContext = {
  readonly app: App;
  readonly io: CliIo;
  /** Aborted when the server stops; a part that ends on its own (the console) may abort it via `requestStop`. */
  readonly signal: AbortSignal;
  requestStop(): void;
  /** Messengers of the parts started before this one (the scheduler starts last). */
  readonly messengers: readonly Messenger[];
};

/**
 * One feature of `serve`. `start` returns null when the feature is not configured (no token, say),
 * and throws a ConfigError when it is half configured.
 */
export type ServePart = {
  readonly name: string;
  start(context: StartContext): Promise<RunningPart | null>;
};
