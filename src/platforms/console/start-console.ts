import { userInfo } from 'node:os';
import { type Caller, commandServices } from '../../../commands/command.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import { describeArchiveFile, emptyArchiveNote } from '../../store/archive-location.ts';
import { countPapers } from '../../store/papers.ts';
import type { PromptGuard } from './prompt-guard.ts';
import { runRepl } from './repl.ts';

export type ConsoleOptions = {
  /** The local identity for subscriptions; default: the operating-system user. */
  readonly user?: string;
  readonly interactive: boolean;
  readonly signal?: AbortSignal;
  /** Where `serve` writes its log while the console has the terminal. */
  readonly logFile?: string;
  /** In `serve`: what the other parts print goes above the prompt. */
  readonly guard?: PromptGuard;
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
    guard: options.guard,
    notes: options.interactive ? await consoleNotes(app, options.logFile) : [],
  });
}

/** Which archive the person is searching (an empty one is most often the wrong folder), and where the logs go. */
async function consoleNotes(app: App, logFile: string | undefined): Promise<string[]> {
  const counts = await countPapers(app.db);
  const archive =
    counts.papers === 0
      ? emptyArchiveNote(app.db.path)
      : `Archive: ${describeArchiveFile(app.db.path)} (${counts.papers} papers, ${counts.relevant} relevant).`;
  return logFile ? [archive, `Logs go to ${logFile}; errors also show here.`] : [archive];
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
