import { parseArgs } from 'node:util';
import { isDay } from '../domain/calendar.ts';
import { UserError } from '../domain/errors.ts';

/**
 * A command's options for node:util parseArgs, plus what a string option's value must be (`day`:
 * YYYY-MM-DD, `count`: a positive whole number), so that a bad value is a usage error before the
 * archive is opened (a typo must not create an empty archive in the working directory).
 */
export type OptionSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string; readonly value?: 'day' | 'count' }>>;

/** node:util parseArgs with errors a person can act on: what was wrong, the usage, where the help is. */
export function parseOptions<T extends OptionSpec>(args: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${describeParseError(error, args, usage)}\nusage: ${usage}\n${helpHint(usage)}`);
  }
}

/** Checks each given value against what its option declares: the messages the commands give. */
export function checkValues(values: Record<string, string | boolean | (string | boolean)[] | undefined>, options: OptionSpec): void {
  for (const [name, spec] of Object.entries(options)) {
    const value = values[name];
    if (value === undefined || Array.isArray(value)) continue;
    if (spec.value === 'day') dayOption(value, name);
    if (spec.value === 'count') positiveInt(value, name, 0);
  }
}

/** Rejects positional arguments past what the command takes (`serve extra`, `ingest 2025-12-18`). */
export function checkPositionals(positionals: readonly string[], max: number, usage: string): void {
  const extra = positionals.slice(max);
  if (extra.length === 0) return;
  const what = extra.map((argument) => `"${argument}"`).join(' ');
  throw new UserError(`unexpected argument${extra.length > 1 ? 's' : ''} ${what}\nusage: ${usage}\n${helpHint(usage)}`);
}

/** True when the arguments ask for help (`--help` or `-h` before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((argument) => argument === '--help' || argument === '-h');
}

export function dayOption(value: string | boolean | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isDay(value)) throw new UserError(`--${name} expects a date as YYYY-MM-DD, got "${String(value)}"`);
  return value;
}

/**
 * A day arXiv has announced by now (`latest`). A later one would be fetched as an empty day and
 * recorded as done, and the runs that catch up from the last day done would then wait for it.
 */
export function announcedDay(day: string | undefined, latest: string, name: string): string | undefined {
  if (day !== undefined && day > latest)
    throw new UserError(`--${name} ${day} is after the latest announcement day, ${latest}: arXiv has not announced it yet`);
  return day;
}

export function positiveInt(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number < 1)
    throw new UserError(`--${name} expects a positive whole number, got "${String(value)}"`);
  return number;
}

function describeParseError(error: unknown, args: readonly string[], usage: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  // Node's own text goes on about positionals after `--`; the option is what the person needs to see.
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || !unknown?.[1]) return message;
  const option = unknown[1];
  // `-tag:MoE` or `-MoE` (the query language's exclusions) reaches Node as the short option `-t`:
  // name the whole argument and show the line with it after `--`, where it is text.
  const token = option.startsWith('--') ? undefined : args.find((arg) => arg.startsWith(option) && !arg.startsWith('--'));
  if (!token || token === option) return `unknown option ${option}`;
  const command = /^lmsys-papers \S+/.exec(usage)?.[0] ?? 'lmsys-papers';
  const end = args.indexOf('--');
  const before = (end === -1 ? args : args.slice(0, end)).filter((arg) => arg !== token);
  const after = end === -1 ? [] : args.slice(end + 1);
  const line = [command, ...before.map(shellWord), '--', shellWord(token), ...after.map(shellWord)].join(' ');
  return `unknown option ${option} (from ${shellWord(token)}): an argument that starts with "-" goes after "--", as in: ${line}`;
}

/** An argument as a shell line shows it: bare when it is plain, else in single quotes. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function helpHint(usage: string): string {
  const command = /^lmsys-papers (\S+)/.exec(usage)?.[1];
  return command ? `\`lmsys-papers ${command} --help\` explains each option.` : '`lmsys-papers --help` lists the commands.';
}
