import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { describeRuntimeFailure } from '../../src/cli/describe-failure.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { Database } from '../../src/store/db.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { killLeftovers, spawnCli } from '../helpers/cli-process.ts';
import { makeReadOnly, undoReadOnly } from '../helpers/read-only-file.ts';
import { captureStream, TEST_ENV } from '../helpers/test-app.ts';

const SEED_README = new URL('../fixtures/seed-readme.md', import.meta.url).pathname;

/**
 * Faults of the machine, not of the code, as a user meets them in a real process: each is one line
 * on stderr that names what to fix; no stack trace unless LOG_LEVEL=debug.
 */
describe('runtime faults read as one clear line', () => {
  let dir: string;
  const run = (args: string[], env: Record<string, string>) => spawnCli(args, env, dir);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-faults-'));
  });
  afterEach(async () => {
    await killLeftovers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a DATABASE_URL whose folder cannot be made THEN the command stops at once naming DATABASE_URL and the folder', async () => {
    const status = run(['status'], { DATABASE_URL: 'sqlite:///proc/nope/x.db' });
    const exit = await status.exited;

    expect(exit.code).toBe(2);
    expect(status.stderr()).toBe('DATABASE_URL=sqlite:///proc/nope/x.db: cannot create the folder /proc/nope (ENOENT)\n');
  });

  it('GIVEN status | head -1 (stdout closed before the command writes) THEN it ends quietly, exit 0', async () => {
    const status = run(['status'], { DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` });
    status.child.stdout?.destroy();
    const exit = await status.exited;

    expect(status.stderr()).toBe('');
    expect(exit.code).toBe(0);
  });

  it('GIVEN WEB_PORT taken by another process THEN serve fails in one line naming WEB_PORT, and logs no stack', async () => {
    const squatter = await listening();
    try {
      const port = (squatter.address() as AddressInfo).port;
      const serve = run(['serve'], { DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`, DIGEST_CRON: 'off', WEB_HOST: '127.0.0.1', WEB_PORT: String(port) });
      const exit = await serve.exited;

      expect(exit.code).toBe(1);
      expect(serve.stderr()).toBe(
        `lmsys-papers serve failed: cannot listen on 127.0.0.1:${port} (WEB_PORT=${port}): the port is in use by another process; stop it or choose another port\n`,
      );
      expect(serve.stdout()).not.toContain('"stack"');
    } finally {
      squatter.close();
    }
  });

  it('GIVEN a read-only archive THEN import fails in one line saying so, with the stack only at LOG_LEVEL=debug', async (context) => {
    const file = join(dir, 'papers.db');
    const app = await openApp(loadConfig({ DATABASE_URL: `sqlite://${file}`, LOG_LEVEL: 'silent' }), createLogger('silent'));
    await app.close();
    if (!makeReadOnly(file)) context.skip();
    try {
      const plain = run(['import', SEED_README], { DATABASE_URL: `sqlite://${file}` });
      expect((await plain.exited).code).toBe(1);
      expect(plain.stderr()).toBe(
        `lmsys-papers import failed: cannot write the archive (DATABASE_URL=sqlite://${file}): it is read-only (file or folder permissions, or a read-only mount)\n`,
      );

      const debug = run(['import', SEED_README], { DATABASE_URL: `sqlite://${file}`, LOG_LEVEL: 'debug' });
      expect((await debug.exited).code).toBe(1);
      expect(debug.stderr()).toMatch(/"stack":"Error: SQLITE_READONLY/);
    } finally {
      undoReadOnly(file);
    }
  });

  it('GIVEN an archive in a folder that cannot be written (a read-only mount) THEN the line says what SQLite needs there', async (context) => {
    const folder = join(dir, 'archive');
    const file = join(folder, 'papers.db');
    const app = await openApp(loadConfig({ DATABASE_URL: `sqlite://${file}`, LOG_LEVEL: 'silent' }), createLogger('silent'));
    await app.close();
    if (!makeReadOnly(folder)) context.skip();
    try {
      const search = run(['search', 'MoE'], { DATABASE_URL: `sqlite://${file}` });
      expect((await search.exited).code).toBe(1);
      expect(search.stderr()).toBe(
        `lmsys-papers search failed: cannot open the archive (DATABASE_URL=sqlite://${file}): SQLITE_CANTOPEN: unable to open database file. ` +
          'Its folder must be writable as well as the file: SQLite keeps papers.db-wal and papers.db-shm beside it\n',
      );
    } finally {
      undoReadOnly(folder);
      chmodSync(folder, 0o755);
    }
  });
});

describe('faults told in one line, in process', () => {
  it('GIVEN SLACK_HTTP_PORT taken THEN serve (Slack in HTTP mode) fails naming SLACK_HTTP_PORT', async () => {
    const squatter = await listening('0.0.0.0');
    const slack = await FakeSlackApi.start();
    try {
      const port = (squatter.address() as AddressInfo).port;
      const stderr = captureStream();
      const env = {
        ...TEST_ENV,
        SLACK_MODE: 'http',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_HTTP_PORT: String(port),
        SLACK_API_URL: slack.apiUrl,
      };
      const io = { env, stdout: captureStream().stream, stderr: stderr.stream, stdin: Readable.from([]), signal: new AbortController().signal };

      expect(await runCli(['serve'], io)).toBe(1);
      expect(stderr.text()).toMatch(
        new RegExp(
          `^lmsys-papers serve failed: cannot listen on .*:${port} \\(SLACK_HTTP_PORT=${port}\\): the port is in use by another process; stop it or choose another port\n$`,
        ),
      );
    } finally {
      squatter.close();
      await slack.close();
    }
  });

  it('GIVEN SQLite answering SQLITE_FULL THEN the line says the disk is full, naming DATABASE_URL', async () => {
    const db = await Database.open('sqlite://:memory:');
    try {
      // A page limit makes SQLite report the same SQLITE_FULL a full disk does.
      const pages = (await db.get<{ page_count: number }>('PRAGMA page_count'))?.page_count ?? 0;
      await db.exec(`PRAGMA max_page_count = ${pages}`);
      const full = await db
        .run("INSERT INTO runs (kind, day, source, status, started_at, finished_at, duration_ms, stats) VALUES ('ingest', NULL, NULL, 'ok', '', '', 0, ?)", [
          'x'.repeat(100_000),
        ])
        .catch((error: unknown) => error);

      expect(describeRuntimeFailure(full, loadConfig({ DATABASE_URL: 'sqlite://data/x.db' }))).toBe(
        'cannot write the archive (DATABASE_URL=sqlite://data/x.db): the disk is full',
      );
    } finally {
      await db.close();
    }
  });

  it('GIVEN an error that is no fault of the machine THEN it is not told as one (the bug keeps its stack)', () => {
    expect(describeRuntimeFailure(new TypeError("Cannot read properties of undefined (reading 'id')"), undefined)).toBeNull();
  });
});

async function listening(host = '127.0.0.1'): Promise<Server> {
  const server = createServer((_request, response) => response.end());
  server.listen(0, host);
  await once(server, 'listening');
  return server;
}
