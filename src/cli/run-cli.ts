import { type App, openApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { UserError } from '../domain/errors.ts';
import { createLogger } from '../log.ts';
import { classifyCommand } from './classify.ts';
import { type CliCommand, type CliIo, print } from './cli-command.ts';
import { digestCommand } from './digest.ts';
import { discordCommand } from './discord.ts';
import { embedCommand } from './embed.ts';
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
  embedCommand,
  digestCommand,
  importCommand,
  exportCommand,
  searchCommand,
  replCommand,
  statusCommand,
  discordCommand,
];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    print(io.stdout, helpText());
    return name ? 0 : 2;
  }
  const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    print(io.stderr, `unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  let app: App | undefined;
  try {
    const config = loadConfig(io.env);
    // The server logs to stdout; one-shot commands keep stdout for their output.
    const log = createLogger(config.LOG_LEVEL, command === serveCommand ? io.stdout : io.stderr);
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

function helpText(): string {
  const width = Math.max(...CLI_COMMANDS.map((command) => command.name.length));
  const lines = CLI_COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return ['usage: lmsys-papers <command> [options]', '', ...lines, '', 'Settings come from the environment; see .env.example.'].join('\n');
}
