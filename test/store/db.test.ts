import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database, databasePath } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';

describe('Database', () => {
  const opened: Database[] = [];
  const open = async (url = 'sqlite://:memory:') => {
    const db = await Database.open(url);
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  it.each([
    ['sqlite://:memory:', ':memory:'],
    ['sqlite:///var/lib/papers.db', '/var/lib/papers.db'],
  ])('GIVEN %s THEN the file is %s', (url, path) => {
    expect(databasePath(url)).toBe(path);
  });

  it('GIVEN a relative URL THEN the path resolves against the working directory', () => {
    expect(databasePath('sqlite://data/x.db')).toBe(join(process.cwd(), 'data/x.db'));
  });

  it('GIVEN a new database THEN every migration ran and FTS5 works', async () => {
    const db = await open();
    expect((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version).toBe(MIGRATIONS.at(-1)?.version);
    await db.run("INSERT INTO papers_fts (rowid, title, abstract, tldr, authors) VALUES (1, 'Serving mixtures of experts', '', '', '')");
    expect(await db.all("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'serve'")).toEqual([{ rowid: 1 }]);
  });

  it('GIVEN the migration list THEN versions run 1, 2, 3 … without gaps or repeats', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
  });

  it('GIVEN a database written by a newer build THEN opening it fails naming both schema versions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-db-'));
    try {
      const url = `sqlite://${join(dir, 'a.db')}`;
      const db = await Database.open(url);
      await db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
      await db.close();
      await expect(Database.open(url)).rejects.toThrow(`schema version ${MIGRATIONS.length + 1}, newer than this build knows (${MIGRATIONS.length})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a file database reopened THEN migrations are not re-run and data survives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-db-'));
    try {
      const url = `sqlite://${join(dir, 'nested', 'a.db')}`;
      const first = await Database.open(url);
      await first.run("INSERT INTO runs (kind, status, started_at) VALUES ('ingest', 'ok', 'now')");
      await first.close();
      const second = await open(url);
      expect(await second.all('SELECT kind FROM runs')).toEqual([{ kind: 'ingest' }]);
      expect(await second.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a transaction that throws THEN everything it wrote is rolled back', async () => {
    const db = await open();
    const failing = db.transaction(async (tx) => {
      await tx.run("INSERT INTO runs (kind, status, started_at) VALUES ('ingest', 'ok', 'a')");
      throw new Error('halfway');
    });
    await expect(failing).rejects.toThrow('halfway');
    expect(await db.all('SELECT * FROM runs')).toEqual([]);
  });

  it('GIVEN a statement issued while a transaction is open THEN it runs after the commit, not inside it', async () => {
    const db = await open();
    let release = () => {};
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const transaction = db.transaction(async (tx) => {
      await tx.run("INSERT INTO runs (kind, status, started_at) VALUES ('ingest', 'running', 'a')");
      await gate;
      await tx.run("UPDATE runs SET status = 'ok'");
    });
    const outside = db.all<{ status: string }>('SELECT status FROM runs');
    release();
    await transaction;
    expect(await outside).toEqual([{ status: 'ok' }]);
  });

  it('GIVEN a broken statement THEN the error names the SQL and the next statement still works', async () => {
    const db = await open();
    await expect(db.all('SELECT * FROM no_such_table')).rejects.toThrow(/no such table: no_such_table \(in: SELECT \* FROM no_such_table\)/);
    await expect(db.all('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('GIVEN many distinct statements THEN the prepared-statement cache stays bounded and correct', async () => {
    const db = await open();
    for (let n = 0; n < 600; n++) expect(await db.get<{ n: number }>(`SELECT ${n} AS n`)).toEqual({ n });
  });
});
