import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The JSON array of a Dockerfile instruction in exec form (ENTRYPOINT ["a", "b"]); the last one counts, as in Docker. */
function instruction(name: string, text: string, which: 'first' | 'last' = 'last'): string[] {
  const lines = text
    .split('\n')
    .map((candidate) => candidate.trim())
    .filter((candidate) => candidate.startsWith(`${name} [`));
  const line = which === 'first' ? lines[0] : lines[lines.length - 1];
  if (!line) throw new Error(`no ${name} in exec form`);
  return JSON.parse(line.slice(name.length + 1)) as string[];
}

/** The runtime stage: everything after the last FROM. */
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe('the Docker image', () => {
  it('GIVEN the build context THEN .dockerignore keeps out dependencies, archives, reports, git and secrets', () => {
    const excluded = [
      'node_modules/sqlite3/package.json',
      'data/lmsys-papers.db',
      'reports/vitest.json',
      '.git/HEAD',
      '.env',
      '.env.local',
      'x.db-wal',
      'data/lmsys-papers.log',
    ];
    for (const path of excluded) expect(isExcluded(path, dockerignore), path).toBe(true);
  });

  it('GIVEN the build context THEN everything the Dockerfile copies from it is sent', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    const sources = dockerfile
      .split('\n')
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources).toEqual(['package.json', 'package-lock.json', 'package.json', 'bin', 'src', 'commands', 'prompts']);
    for (const source of sources) {
      const files = tracked.filter((file) => file === source || file.startsWith(`${source}/`));
      expect(files.length, source).toBeGreaterThan(0);
      for (const file of files) expect(isExcluded(file, dockerignore), file).toBe(false);
    }
  });

  it('GIVEN the image THEN it runs the same command as npm start, under tini, without npm', () => {
    const command = [...instruction('ENTRYPOINT', runtime), ...instruction('CMD', runtime)];
    expect(command).toEqual(['/usr/bin/tini', '--', 'node', 'bin/lmsys-papers.js', 'serve']);
    expect(manifest.scripts.start).toBe(command.slice(2).join(' '));
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends tini/);
    expect(runtime).toContain('USER node');
  });

  describe('its command, run as the image runs it', () => {
    let dir: string;
    let child: ChildProcess | undefined;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'lmsys-docker-'));
    });
    afterEach(() => {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('GIVEN serve THEN the HEALTHCHECK command passes and SIGTERM (docker stop) ends it cleanly within 10 s', async () => {
      const env = {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: `sqlite://${join(dir, 'lmsys-papers.db')}`,
        WEB_PORT: '0',
        WEB_HOST: '127.0.0.1',
        DIGEST_CRON: 'off',
      };
      const serve = spawn(process.execPath, ['bin/lmsys-papers.js', 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = serve;
      const url = await listeningUrl(serve);

      const healthcheck = instruction('CMD', runtime.slice(runtime.indexOf('HEALTHCHECK')), 'first');
      const port = new URL(url).port;
      const probe = spawn(healthcheck[0] as string, healthcheck.slice(1), { env: { ...env, WEB_PORT: port }, stdio: 'ignore' });
      const [probeCode] = (await once(probe, 'exit')) as [number];
      expect(probeCode).toBe(0);

      const started = Date.now();
      serve.kill('SIGTERM');
      const [code, signal] = (await once(serve, 'exit')) as [number | null, string | null];
      child = undefined;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});

/**
 * Waits for the web server's "listening" log line (JSON on stdout: not a terminal) and returns its
 * URL. Keeps reading stdout afterwards: a closed pipe would fail the child's next log line.
 */
function listeningUrl(serve: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    serve.stdout?.on('data', (chunk) => {
      buffered += String(chunk);
      const match = /"url":"(http:[^"]+)"[^\n]*"msg":"web server listening"/.exec(buffered);
      if (match) resolve(match[1] as string);
    });
    serve.once('exit', () => reject(new Error(`serve ended before listening: ${buffered}`)));
  });
}

/**
 * Docker's .dockerignore rules (moby/patternmatcher): paths relative to the context, `*` and `?`
 * within a path segment, `**` across segments, `!` re-includes, the last matching rule wins, and a
 * rule matching a folder matches everything under it.
 */
function isExcluded(path: string, rules: string): boolean {
  let excluded = false;
  for (const raw of rules.split('\n')) {
    const rule = raw.trim();
    if (!rule || rule.startsWith('#')) continue;
    const negated = rule.startsWith('!');
    const pattern = toRegExp(negated ? rule.slice(1) : rule);
    const segments = path.split('/');
    const matches = segments.some((_, index) => pattern.test(segments.slice(0, index + 1).join('/')));
    if (matches) excluded = !negated;
  }
  return excluded;
}

function toRegExp(pattern: string): RegExp {
  const clean = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i] as string;
    if (char === '*' && clean[i + 1] === '*') {
      source += '.*';
      i++;
      if (clean[i + 1] === '/') i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
