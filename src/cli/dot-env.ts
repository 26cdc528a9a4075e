import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { UserError } from '../domain/errors.ts';

export type Env = Record<string, string | undefined>;

/**
 * The environment with the settings of `.env` in `directory` added, read by Node's own parser
 * (the one behind `node --env-file`): quotes, `export`, comments. Variables set in the real
 * environment win, as with `--env-file`. No `.env`: the environment as it is.
 */
export function withDotEnv(directory: string, env: Env): Env {
  const path = join(directory, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new UserError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ...parseEnv(text), ...env };
}
