import { type App, openApp } from '../app.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { UserError } from '../domain/errors.ts';
import type { Logger } from '../log.ts';
import { createPromptGuard } from '../platforms/console/prompt-guard.ts';
import { classifyCommand } from './classify.ts';
import { type CliCommand, type CliIo, print } from './cli-command.ts';
import { quietOnClosedStdout } from './closed-stdout.ts';
import { answerBeforeRunning, answerWithoutCommand } from './command-help.ts';
import { commandLogger } from './command-logger.ts';
import { describeRuntimeFailure } from './describe-failure.ts';
import { digestCommand } from './digest.ts';
import { discordCommand } from './discord.ts';
import { embedCommand } from './embed.ts';
import { evalCommand } from './eval.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { ingestCommand } from './ingest.ts';
import { replCommand } from './repl.ts';
import { searchCommand } from './search.ts';
import { serveCommand } from './serve.ts';
import { statusCommand } from './status.ts';
import { stopOnSignals } from './stop-on-signals.ts';

/** Every sub-command, listed explicitly. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  serveCommand,
  ingestCommand,
  classifyCommand,
  embedCommand,
  digestCommand,
  importCommand,
  exportCommand,
  searchCommand,
  replCommand,
  statusCommand,
  discordCommand,
  evalCommand,
];

export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  const [name, ...args] = argv;
  // serve may run the console: what its other parts print then goes above the prompt.
  const io = name === serveCommand.name ? { ...given, promptGuard: createPromptGuard(given.stdout) } : given;
  const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
  if (!command) return answerWithoutCommand(argv, CLI_COMMANDS, io);
  // Help and bad arguments are answered before any setting is read or the archive opened.
  const early = answerBeforeRunning(command, args, io);
  if (early !== null) return early;
  const stop = processStop(io);
  let app: App | undefined;
  let config: Config | undefined;
  let log: Logger | undefined;
  try {
    config = loadConfig(io.env);
    log = commandLogger(config, io, command === serveCommand);
    app = await openApp(config, log, { signal: stop.signal, ...io.appOptions });
    return await command.run(args, app, { ...io, signal: stop.signal, requestStop: stop.request });
  } catch (error) {
    return reportFailure(error, command.name, io, config, log);
  } finally {
    await app?.close();
    stop.dispose();
  }
}

/**
 * The command's stop signal: the caller's (tests), else the process's own — the first SIGTERM or
 * Ctrl-C stops the command cleanly, a second exits at once; a closed stdout stops it too. The
 * command may stop itself the same way (`request`: serve when its console quits), so waits and
 * retries held by the archive's clients end then as well.
 */
function processStop(io: CliIo): { signal: AbortSignal; request(): void; dispose(): void } {
  const requested = new AbortController();
  const request = () => requested.abort();
  if (io.signal) return { signal: AbortSignal.any([io.signal, requested.signal]), request, dispose: () => undefined };
  const stop = stopOnSignals(process, io.stderr, (code) => process.exit(code));
  const closed = new AbortController();
  quietOnClosedStdout(io.stdout, () => closed.abort());
  return { signal: AbortSignal.any([stop.signal, closed.signal, requested.signal]), request, dispose: stop.dispose };
}

/** A user's mistake: its message, exit 2. A fault of the machine: one clear line, exit 1. A bug: logged with its stack, exit 1. */
function reportFailure(error: unknown, name: string, io: CliIo, config: Config | undefined, log: Logger | undefined): number {
  if (error instanceof UserError || error instanceof ConfigError) {
    print(io.stderr, error.message);
    return 2;
  }
  const fault = describeRuntimeFailure(error, config);
  if (fault) log?.debug({ err: error, command: name }, 'command failed');
  else log?.error({ err: error, command: name }, 'command failed');
  print(io.stderr, `lmsys-papers ${name} failed: ${fault ?? (error instanceof Error ? error.message : String(error))}`);
  return 1;
}
