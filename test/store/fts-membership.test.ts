import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { Classification } from '../../src/domain/paper.ts';
import { Database } from '../../src/store/db.ts';
import { FTS_REBUILD, ftsTagTerm } from '../../src/store/fts-tags.ts';
import { recordAnnouncement, saveClassification } from '../../src/store/papers.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { setSchemaBackTo } from '../helpers/schema.ts';
import { openTestApp } from '../helpers/test-app.ts';

const NOW = '2025-12-19T01:30:00.000Z';

function verdict(relevant: boolean | null, tldr: string | null = null): Classification {
  return {
    status: relevant === null ? 'pending' : 'done',
    relevant,
    tags: relevant ? ['serving'] : [],
    tldr,
    model: 'test',
    promptHash: null,
    version: 1,
    error: null,
    attempts: 1,
  };
}

/** The ids of the papers whose full-text row matches `phrase`. */
async function indexed(db: Database, phrase: string): Promise<string[]> {
  const rows = await db.all<{ id: string }>('SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ? ORDER BY p.id', [
    `"${phrase}"`,
  ]);
  return rows.map((row) => row.id);
}

describe('what the full-text index holds: relevant papers only', () => {
  let app: App;
  beforeEach(async () => {
    app = await openTestApp();
  });
  afterEach(() => app.close());

  const classify = (id: string, relevant: boolean | null, tldr: string | null = null) =>
    app.db.transaction((tx) => saveClassification(tx, id, verdict(relevant, tldr), NOW));

  it('GIVEN a paper just announced THEN it is not indexed until a verdict calls it relevant, and then with its TL;DR', async () => {
    await announce(app, [paperRecord(1, { title: 'Paged attention for serving' })]);
    expect(await indexed(app.db, 'paged attention')).toEqual([]);

    await classify('2512.10001', true, 'Cuts KV waste to under 4 percent.');
    expect(await indexed(app.db, 'paged attention')).toEqual(['2512.10001']);
    expect(await indexed(app.db, 'kv waste')).toEqual(['2512.10001']);
  });

  it('GIVEN a relevant paper judged again as off-topic or sent back to pending THEN it leaves the index', async () => {
    await announce(app, [paperRecord(1, { title: 'Paged attention for serving' }), paperRecord(2, { title: 'Paged attention for robots' })]);
    await classify('2512.10001', true);
    await classify('2512.10002', true);
    await classify('2512.10002', false);
    expect(await indexed(app.db, 'paged attention')).toEqual(['2512.10001']);
    await classify('2512.10001', null);
    expect(await indexed(app.db, 'paged attention')).toEqual([]);
  });

  it('GIVEN a new version of a relevant paper THEN its row carries the new title and not the old one', async () => {
    await announce(app, [paperRecord(1, { title: 'Paged attention for serving' })]);
    await classify('2512.10001', true);
    await app.db.transaction(async (tx) => {
      await recordAnnouncement(tx, '2025-12-19', { paper: paperRecord(1, { version: 2, title: 'Block tables for serving' }), type: 'replace' }, 'test', NOW);
    });
    expect(await indexed(app.db, 'block tables')).toEqual(['2512.10001']);
    expect(await indexed(app.db, 'paged attention')).toEqual([]);
  });
});

describe('FTS_REBUILD (bulk archives for benchmarks)', () => {
  it('GIVEN relevant and off-topic papers THEN it writes the rows reindex writes, tags included', async () => {
    const app = await openTestApp();
    try {
      await announce(app, [paperRecord(1, { title: 'Paged attention', authors: ['Ada Lovelace', 'Alan Turing'] }), paperRecord(2)]);
      await app.db.transaction(async (tx) => {
        await saveClassification(tx, '2512.10001', { ...verdict(true, 'Cuts KV waste.'), tags: ['serving', 'multi-modal', 'serving'] }, NOW);
        await saveClassification(tx, '2512.10002', verdict(false), NOW);
      });
      const rows = () => app.db.all('SELECT id, sz FROM papers_fts_docsize ORDER BY id');
      const tagged = () => app.db.all('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?', [`${ftsTagTerm('multi-modal')} AND "kv waste"`]);
      const written = await rows();
      expect(await tagged()).toHaveLength(1);
      await app.db.exec('DELETE FROM papers_fts');
      await app.db.run(FTS_REBUILD);
      expect(await rows()).toEqual(written);
      expect(await tagged()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe('upgrading an index written by an older build', () => {
  let dir: string;
  let url: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-fts-'));
    url = `sqlite://${join(dir, 'a.db')}`;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** An archive of "Paged attention N" papers announced and judged (relevant ones tagged), stored as this build stores them. */
  async function archive(verdicts: readonly (boolean | null)[], tags: readonly string[] = ['serving']): Promise<Database> {
    const db = await Database.open(url);
    await db.transaction(async (tx) => {
      for (const [index, relevant] of verdicts.entries()) {
        const record = paperRecord(index + 1, { title: `Paged attention ${index + 1}`, authors: ['Ada Lovelace', 'Alan Turing'] });
        await recordAnnouncement(tx, '2025-12-18', { paper: record, type: 'new' }, 'test', NOW);
        await saveClassification(tx, record.id, { ...verdict(relevant, 'Cuts KV waste.'), tags: relevant ? [...tags] : [] }, NOW);
      }
    });
    return db;
  }

  it('GIVEN an archive indexed by the earlier rule (every paper, schema 4) THEN upgrading drops the rows of papers that are not relevant', async () => {
    const db = await archive([true, false, null]);
    await setSchemaBackTo(db, 4);
    // What the earlier rule had: a row for every paper announced.
    await db.run("INSERT INTO papers_fts (rowid, title, abstract, tldr, authors) SELECT pk, title, abstract, '', '' FROM papers");
    expect(await indexed(db, 'paged attention')).toEqual(['2512.10001', '2512.10002', '2512.10003']);
    await db.close();

    const upgraded = await Database.open(url);
    try {
      expect(await indexed(upgraded, 'paged attention')).toEqual(['2512.10001']);
    } finally {
      await upgraded.close();
    }
  });

  it('GIVEN an index without tags (schema 5) THEN upgrading rebuilds it with each relevant paper’s tags, as reindex writes them', async () => {
    const db = await archive([true, false], ['serving', 'multi-modal']);
    const written = await db.all('SELECT rowid, * FROM papers_fts_docsize ORDER BY id');
    expect(written).toHaveLength(1);
    // The index as schema 5 had it: four columns, no tags.
    await setSchemaBackTo(db, 5);
    await db.run(
      "INSERT INTO papers_fts (rowid, title, abstract, tldr, authors) SELECT pk, title, abstract, 'Cuts KV waste.', 'Ada Lovelace, Alan Turing' FROM papers WHERE id = '2512.10001'",
    );
    await db.close();

    const upgraded = await Database.open(url);
    try {
      expect(await indexed(upgraded, 'paged attention')).toEqual(['2512.10001']);
      const tagged = (tag: string) =>
        upgraded.all<{ rowid: number }>('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?', [`"paged" AND ${ftsTagTerm(tag)}`]);
      expect(await tagged('multi-modal')).toHaveLength(1);
      expect(await tagged('serving')).toHaveLength(1);
      expect(await tagged('MoE')).toHaveLength(0);
      // Same token count in every column as the rows reindex wrote (the tokens themselves: above).
      expect(await upgraded.all('SELECT rowid, * FROM papers_fts_docsize ORDER BY id')).toEqual(written);
    } finally {
      await upgraded.close();
    }
  });
});
