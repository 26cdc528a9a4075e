import { dirname, join } from 'node:path';
import { type DestinationStream, pino } from 'pino';
import type { Config } from '../config.ts';
import { humanLogStream } from '../human-log.ts';
import { createLogger, type Logger } from '../log.ts';
import { consoleWanted } from '../platforms/console/start-console.ts';
import { databasePath } from '../store/db.ts';
import type { CliIo } from './cli-command.ts';

/**
 * Where a command's logs go. The server logs to stdout, one-shot commands to stderr (their stdout
 * is their output). JSON lines for machines (a service, a container, a pipe); short lines for a
 * person at a terminal. `serve` with the console writes JSON to a file instead, so log lines do
 * not land in the middle of the `papers>` prompt, and shows only errors there, as one short line
 * each (retries are warnings: the file has them).
 */
export function commandLogger(config: Config, io: CliIo, serving: boolean): Logger {
  const level = config.LOG_LEVEL;
  const stacks = level === 'debug' || level === 'trace';
  if (serving && consoleWanted(config, io.stdin)) {
    const path = consoleLogFile(config);
    const file = pino.destination({ dest: path, mkdir: true, sync: true });
    const terminal = humanLogStream(io.promptGuard?.above(io.stderr) ?? io.stderr, { stacks, hint: `details in ${path}` });
    return createLogger(
      level,
      pino.multistream([
        { level, stream: file },
        { level: 'error', stream: terminal },
      ]) as DestinationStream,
    );
  }
  const output = serving ? io.stdout : io.stderr;
  return createLogger(level, isTerminal(output) ? humanLogStream(output, { stacks }) : output);
}

/** The log file of `serve` with the console: beside the archive (or in the working directory). */
export function consoleLogFile(config: Config): string {
  const database = databasePath(config.DATABASE_URL);
  return database === ':memory:' ? join(process.cwd(), 'lmsys-papers.log') : join(dirname(database), 'lmsys-papers.log');
}

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}
