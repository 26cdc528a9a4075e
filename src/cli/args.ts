import { parseArgs } from 'node:util';
import { isDay } from '../domain/calendar.ts';
import { UserError } from '../domain/errors.ts';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** node:util parseArgs with errors a person can act on. */
export function parseOptions<T extends OptionSpec>(args: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}`);
  }
}

export function dayOption(value: string | boolean | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isDay(value)) throw new UserError(`--${name} expects a date as YYYY-MM-DD, got "${String(value)}"`);
  return value;
}

export function positiveInt(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number < 1)
    throw new UserError(`--${name} expects a positive whole number, got "${String(value)}"`);
  return number;
}
