import type { DestinationStream } from 'pino';
import type { TextSink } from './platforms/console/prompt-guard.ts';

/** pino's numeric levels, as a person reads them. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, or that the line shows in its own place. */
const SHOWN_APART = new Set(['level', 'time', 'pid', 'hostname', 'app', 'module', 'msg', 'err']);
const LONGEST_VALUE = 160;

export type HumanLogOptions = {
  /** Stack traces are for debugging: shown only when the log level is debug or trace. */
  readonly stacks: boolean;
  /** Added to warnings and errors, e.g. where the full log is. */
  readonly hint?: string;
};

/**
 * A pino destination that writes each record as one short line for a person at a terminal:
 * `14:03:05 WARN  arxiv: arXiv request failed — attempt=2: getaddrinfo ENOTFOUND export.arxiv.org`.
 */
export function humanLogStream(output: TextSink, options: HumanLogOptions): DestinationStream {
  return {
    write(line: string) {
      output.write(`${formatRecord(line, options)}\n`);
    },
  };
}

export function formatRecord(line: string, options: HumanLogOptions): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const level = typeof record.level === 'number' ? (LEVELS[record.level] ?? String(record.level)) : 'INFO';
  const time = typeof record.time === 'number' ? new Date(record.time).toTimeString().slice(0, 8) : '';
  const module = typeof record.module === 'string' ? `${record.module}: ` : '';
  const fields = Object.entries(record)
    .filter(([key, value]) => !SHOWN_APART.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${shortValue(value)}`);
  const error = describeError(record.err, options.stacks);
  const hint = options.hint && typeof record.level === 'number' && record.level >= 40 ? ` (${options.hint})` : '';
  const details = fields.length ? ` — ${fields.join(' ')}` : '';
  return `${time} ${level.padEnd(5)} ${module}${String(record.msg ?? '')}${details}${error}${hint}`;
}

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value);
  return text.length > LONGEST_VALUE ? `${text.slice(0, LONGEST_VALUE - 1)}…` : text;
}

function describeError(err: unknown, stacks: boolean): string {
  if (!err || typeof err !== 'object') return '';
  const { message, stack } = err as { message?: unknown; stack?: unknown };
  if (stacks && typeof stack === 'string') return `\n${stack}`;
  return typeof message === 'string' && message ? `: ${message}` : '';
}
