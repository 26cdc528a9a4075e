import { type App, openApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { UserError } from '../domain/errors.ts';
import { classifyCommand } from './classify.ts';
import { type CliCommand, type CliIo, print } from './cli-command.ts';
import { answerBeforeRunning, answerWithoutCommand } from './command-help.ts';
import { commandLogger } from './command-logger.ts';
import { digestCommand } from './digest.ts';
import { discordCommand } from './discord.ts';
import { evalCommand } from './eval.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { ingestCommand } from './ingest.ts';
import { replCommand } from './repl.ts';
import { searchCommand } from './search.ts';
import { serveCommand } from './serve.ts';
import { statusCommand } from './status.ts';

/** Every sub-command, listed explicitly. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  serveCommand,
  ingestCommand,
  classifyCommand,
  digestCommand,
  importCommand,
  exportCommand,
  searchCommand,
  replCommand,
  statusCommand,
  discordCommand,
  evalCommand,
];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
  if (!command) return answerWithoutCommand(argv, CLI_COMMANDS, io);
  // Help and bad arguments are answered before any setting is read or the archive opened.
  const early = answerBeforeRunning(command, args, io);
  if (early !== null) return early;
  let app: App | undefined;
  try {
    const config = loadConfig(io.env);
    const log = commandLogger(config, io, command === serveCommand);
    app = await openApp(config, log, io.appOptions);
    return await command.run(args, app, io);
  } catch (error) {
    if (error instanceof UserError || error instanceof ConfigError) {
      print(io.stderr, error.message);
      return 2;
    }
    app?.log.error({ err: error, command: name }, 'command failed');
    print(io.stderr, `lmsys-papers ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await app?.close();
  }
}
