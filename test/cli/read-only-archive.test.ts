import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { killLeftovers, spawnCli } from '../helpers/cli-process.ts';
import { makeReadOnly, undoReadOnly } from '../helpers/read-only-file.ts';

describe('serve with an archive it cannot write', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-readonly-'));
    file = join(dir, 'papers.db');
    const app = await openApp(loadConfig({ DATABASE_URL: `sqlite://${file}`, LOG_LEVEL: 'silent' }), createLogger('silent'));
    await app.close();
  });
  afterEach(async () => {
    await killLeftovers();
    undoReadOnly(file);
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a read-only archive file THEN serve warns at start, naming the file, and /healthz answers 503 read-only', async (context) => {
    if (!makeReadOnly(file)) context.skip();
    const serve = spawnCli(['serve'], { DATABASE_URL: `sqlite://${file}`, DIGEST_CRON: 'off', WEB_HOST: '127.0.0.1', WEB_PORT: '0', LOG_LEVEL: 'info' }, dir);
    try {
      await serve.until(/web server listening/);
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(serve.stdout())?.[1];
      const health = await fetch(`${url}/healthz`);

      expect(serve.stderr()).toContain(`warning: the archive ${file} cannot be written (SQLITE_READONLY: attempt to write a readonly database)`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'error', database: 'read-only' });
      expect((await fetch(`${url}/`)).status).toBe(200);
    } finally {
      serve.signal('SIGTERM');
      await serve.exited;
    }
  });
});
