import type { Queryable } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';

/**
 * What each migration created that an older schema lacks, dropped newest first, so a database of
 * this build can be set back to look like one an older build left. Every migration after 4 needs
 * its line here ('' when it created nothing); setSchemaBackTo fails for one without.
 */
export const UNDO: Readonly<Record<number, string>> = {
  5: '',
  6: `DROP TABLE papers_fts;
      CREATE VIRTUAL TABLE papers_fts USING fts5 (title, abstract, tldr, authors, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');`,
  7: 'DROP TRIGGER papers_day_rows_insert; DROP TRIGGER papers_day_rows_update; DROP TABLE day_rows;',
  8: 'DROP TABLE votes; DROP TABLE paper_labels; DROP TABLE label_generation; DROP TABLE text_models;',
  9: 'DROP TRIGGER paper_embeddings_text; DROP TRIGGER paper_embeddings_tldr; DROP TABLE paper_embeddings;',
  10: 'DROP TABLE pick_subscriptions; ALTER TABLE delivery_papers DROP COLUMN pick; ALTER TABLE email_requests DROP COLUMN picks;',
};

/** Sets the database back to `version`: undoes the later migrations and records the version. */
export async function setSchemaBackTo(db: Queryable, version: number): Promise<void> {
  for (const migration of [...MIGRATIONS].reverse()) {
    if (migration.version <= version) break;
    const undo = UNDO[migration.version];
    if (undo === undefined) throw new Error(`no undo for migration ${migration.version} in test/helpers/schema.ts`);
    if (undo) await db.exec(undo);
  }
  await db.exec(`PRAGMA user_version = ${version}`);
}
