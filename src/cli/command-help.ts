import { readFileSync } from 'node:fs';
import { UserError } from '../domain/errors.ts';
import { checkPositionals, checkValues, parseOptions, wantsHelp } from './args.ts';
import { type CliCommand, type CliIo, print } from './cli-command.ts';

/**
 * What a command line can be answered with before any setting is read or the archive opened:
 * `--help` (exit 0), arguments the command does not take and bad values (exit 2). Null: run the command.
 */
export function answerBeforeRunning(command: CliCommand, args: readonly string[], io: CliIo): number | null {
  if (wantsHelp(args)) {
    print(io.stdout, commandHelp(command));
    return 0;
  }
  try {
    const { values, positionals } = parseOptions(args, command.options, command.usage);
    checkPositionals(positionals, command.maxPositionals, command.usage);
    command.checkPositionals?.(positionals);
    checkValues(values, command.options);
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    print(io.stderr, error.message);
    return 2;
  }
}

export function commandHelp(command: CliCommand): string {
  return `usage: ${command.usage}\n\n${command.help.trim()}`;
}

/** `lmsys-papers --help`: every command with its one-line summary. */
export function programHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'usage: lmsys-papers <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    '`lmsys-papers <command> --help` explains a command and its options.',
    'Settings come from the environment and from a .env file in the working directory (see .env.example).',
  ].join('\n');
}

/**
 * A command line that names no command: `--help`/`help` (exit 0), `help <command>`, `--version`,
 * nothing at all or an unknown command (usage on stderr, exit 2).
 */
export function answerWithoutCommand(argv: readonly string[], commands: readonly CliCommand[], io: CliIo): number {
  const [name, topic] = argv;
  if (name === '--version' || name === '-v') {
    print(io.stdout, programVersion());
    return 0;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const command = commands.find((candidate) => candidate.name === topic);
    if (topic && !command) {
      print(io.stderr, `unknown command "${topic}"\n\n${programHelp(commands)}`);
      return 2;
    }
    print(io.stdout, command ? commandHelp(command) : programHelp(commands));
    return 0;
  }
  print(io.stderr, name ? `unknown command "${name}"\n\n${programHelp(commands)}` : programHelp(commands));
  return 2;
}

function programVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `lmsys-papers ${manifest.version} (Node.js ${process.versions.node})`;
}
