import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDotEnv } from '../../src/cli/dot-env.ts';
import { loadConfig } from '../../src/config.ts';

const bin = new URL('../../bin/lmsys-papers.js', import.meta.url).pathname;
const examplePath = new URL('../../.env.example', import.meta.url).pathname;

describe('settings from .env', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-dotenv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a .env with quotes, comments and export THEN its settings are read as a shell would', () => {
    writeFileSync(join(dir, '.env'), '# comment\nDIGEST_CRON=\'0 8 * * *\'\nexport MAIL_FROM="lmsys-papers <p@example.org>"\nLOG_LEVEL=warn\n');
    const env = withDotEnv(dir, {});
    expect(env).toEqual({ DIGEST_CRON: '0 8 * * *', MAIL_FROM: 'lmsys-papers <p@example.org>', LOG_LEVEL: 'warn' });
  });

  it('GIVEN a variable in the environment and in .env THEN the environment wins, even when empty', () => {
    writeFileSync(join(dir, '.env'), 'LOG_LEVEL=warn\nWEB_PORT=9000\nOPENAI_API_KEY=from-file\n');
    expect(withDotEnv(dir, { LOG_LEVEL: 'debug', OPENAI_API_KEY: '' })).toEqual({ LOG_LEVEL: 'debug', WEB_PORT: '9000', OPENAI_API_KEY: '' });
  });

  it('GIVEN no .env THEN the environment is used as it is', () => {
    const env = { LOG_LEVEL: 'info' };
    expect(withDotEnv(dir, env)).toBe(env);
  });

  it('GIVEN a .env that cannot be read THEN the error names it', () => {
    mkdirSync(join(dir, '.env'));
    expect(() => withDotEnv(dir, {})).toThrow(`cannot read ${join(dir, '.env')}`);
  });

  it('GIVEN .env.example THEN a shell that sources it reads the same values as Node, and they are valid settings', () => {
    const node = parseEnv(readFileSync(examplePath, 'utf8'));
    const keys = Object.keys(node);
    const script = `set -a; . "$1"; set +a; node -e 'process.stdout.write(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((k) => [k, process.env[k]]))))' ${keys.join(' ')}`;
    const shell = JSON.parse(execFileSync('bash', ['-c', script, 'bash', examplePath], { encoding: 'utf8', env: { PATH: process.env.PATH } })) as Record<
      string,
      string
    >;
    expect(shell).toEqual(node);
    expect(node.DIGEST_CRON).toBe('0 8 * * *');
    expect(() => loadConfig(node)).not.toThrow();
  });

  it('GIVEN a .env in the working directory THEN lmsys-papers uses it, and an environment variable overrides it', () => {
    writeFileSync(join(dir, '.env'), 'DATABASE_URL=sqlite://from-dotenv.db\nDIGEST_CRON="0 8 * * *"\n');
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [bin, 'status'], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH ?? '', ...env } });
    const fromFile = run({});
    expect(fromFile.stderr).toBe('');
    expect(fromFile.stdout).toContain(`The archive from-dotenv.db relative to ${dir} is empty`);
    const overridden = run({ DATABASE_URL: 'sqlite://from-env.db' });
    expect(overridden.stdout).toContain(`The archive from-env.db relative to ${dir} is empty`);
  });
});
