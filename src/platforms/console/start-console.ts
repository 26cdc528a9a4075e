import { userInfo } from 'node:os';
import { type Caller, commandServices } from '../../../commands/command.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import { runRepl } from './repl.ts';

export type ConsoleOptions = {
  /** The local identity for subscriptions; default: the operating-system user. */
  readonly user?: string;
  readonly interactive: boolean;
  readonly signal?: AbortSignal;
};

/** The person at this terminal: their OS user name and time zone, admin of the one "console" channel. */
export function localCaller(user?: string): Caller {
  const name = user ?? osUser();
  return {
    platform: 'console',
    userId: name,
    displayName: name,
    channelId: 'console',
    canAdministerChannel: true,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
  };
}

export async function runConsole(app: App, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }, options: ConsoleOptions): Promise<void> {
  const columns = (io.stdout as { columns?: number }).columns;
  await runRepl({
    input: io.stdin,
    output: io.stdout,
    commands: COMMANDS,
    context: { caller: localCaller(options.user), now: app.now, services: commandServices(app) },
    interactive: options.interactive,
    width: Math.min(columns ?? 80, 100),
    signal: options.signal,
  });
}

/** `serve` runs the console when no chat platform is configured and a person is at the terminal. */
export function consoleWanted(config: Config, stdin: NodeJS.ReadableStream): boolean {
  return !config.SLACK_BOT_TOKEN && !config.DISCORD_TOKEN && isTerminal(stdin);
}

export function isTerminal(stream: NodeJS.ReadableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

function osUser(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    // Containers may run under a uid with no passwd entry.
    return process.env.USER || 'local';
  }
}
