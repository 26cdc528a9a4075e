import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { Database } from '../../src/store/db.ts';
import { storeDay } from '../helpers/classified.ts';
import { setSchemaBackTo } from '../helpers/schema.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-22T01:30:00Z');

/** Papers outside their day's range (must be none), and days without a range. */
async function misplaced(db: Database): Promise<{ outside: number; missing: number }> {
  const row = await db.get<{ outside: number; missing: number }>(
    `SELECT COUNT(*) FILTER (WHERE d.day IS NOT NULL AND p.pk NOT BETWEEN d.min_pk AND d.max_pk) AS outside,
            COUNT(*) FILTER (WHERE d.day IS NULL) AS missing
     FROM papers p LEFT JOIN day_rows d ON d.day = p.announced_on WHERE p.announced_on IS NOT NULL`,
  );
  return row ?? { outside: -1, missing: -1 };
}

describe('day_rows: the rows of each announcement day, for date bounds in search', () => {
  let app: App;
  beforeEach(async () => {
    app = await openTestApp({}, { now: clock.now });
  });
  afterEach(() => app.close());

  it('GIVEN later days ingested before the README is imported THEN each day’s range holds its papers, which interleave', async () => {
    await storeDay(app, '2025-12-22', 1, 3);
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    await storeDay(app, '2025-12-19', 10, 2);
    expect(await misplaced(app.db)).toEqual({ outside: 0, missing: 0 });
    const exact = await app.db.all('SELECT announced_on AS day, MIN(pk) AS min_pk, MAX(pk) AS max_pk FROM papers GROUP BY announced_on ORDER BY day');
    expect(await app.db.all('SELECT day, min_pk, max_pk FROM day_rows ORDER BY day')).toEqual(exact);
  });

  it('GIVEN a paper moved to another day or row THEN that day’s range widens to hold it, and the old one still bounds its papers', async () => {
    await storeDay(app, '2025-12-18', 1, 3);
    await storeDay(app, '2025-12-19', 4, 3);
    await app.db.run("UPDATE papers SET announced_on = '2025-12-19' WHERE id = '2512.10001'");
    expect(await misplaced(app.db)).toEqual({ outside: 0, missing: 0 });
    expect(await app.db.get("SELECT min_pk, max_pk FROM day_rows WHERE day = '2025-12-19'")).toEqual({ min_pk: 1, max_pk: 6 });
    // No code renumbers a paper, but a row that moves stays covered too.
    await app.db.run("UPDATE papers SET pk = 100 WHERE id = '2512.10002'");
    expect(await misplaced(app.db)).toEqual({ outside: 0, missing: 0 });
  });
});

describe('migration 7', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-days-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN an archive from before it THEN upgrading fills the day ranges from the papers', async () => {
    const url = `sqlite://${join(dir, 'a.db')}`;
    const app = await openTestApp({ DATABASE_URL: url }, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    await setSchemaBackTo(app.db, 6);
    await app.close();

    const upgraded = await Database.open(url);
    try {
      expect(await misplaced(upgraded)).toEqual({ outside: 0, missing: 0 });
      expect((await upgraded.get<{ n: number }>('SELECT COUNT(*) AS n FROM day_rows'))?.n).toBeGreaterThan(100);
    } finally {
      await upgraded.close();
    }
  });
});
