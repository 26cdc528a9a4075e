import type { App } from '../../src/app.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { insertPaper, insertVersion, reindex, saveClassification } from '../../src/store/papers.ts';
import { paperRecord } from './papers.ts';

export type Verdict = { readonly relevant?: boolean; readonly tags?: readonly string[]; readonly tldr?: string | null };

/** Stores a paper announced on `day` with a finished verdict, as ingest and classification would leave it. */
export async function storeClassified(app: App, record: PaperRecord, day: string, verdict: Verdict = {}): Promise<void> {
  const stamp = `${day}T12:00:00.000Z`;
  await app.db.transaction(async (tx) => {
    await insertPaper(tx, record, day, 'test', stamp);
    await insertVersion(tx, record, day, 'new', stamp);
    await tx.run("INSERT INTO announcements (day, paper_id, announce_type, version) VALUES (?, ?, 'new', ?)", [day, record.id, record.version]);
    await saveClassification(
      tx,
      record.id,
      {
        status: 'done',
        relevant: verdict.relevant ?? true,
        tags: [...(verdict.tags ?? ['serving'])],
        tldr: verdict.tldr === undefined ? `TL;DR of ${record.title}.` : verdict.tldr,
        model: 'test',
        promptHash: null,
        version: record.version,
        error: null,
        attempts: 1,
      },
      stamp,
    );
    await reindex(tx, record.id);
  });
}

/** `count` relevant papers on `day`, numbered from `first`, each with the given tags. */
export async function storeDay(app: App, day: string, first: number, count: number, tags: readonly string[] = ['serving']): Promise<void> {
  for (let index = 0; index < count; index++) {
    const number = first + index;
    await storeClassified(app, paperRecord(number, { authors: [`Author ${number}`, 'Grace Hopper'], abstract: `Abstract ${number} about LLM serving.` }), day, {
      tags,
    });
  }
}

/** A paper whose every text field tries to inject markup. */
export const HOSTILE = {
  title: 'Pwn <script>alert("title")</script> & <img src=x onerror=alert(1)> ]]> <!-- "quoted" \'single\'',
  abstract: 'We show <script>alert("abstract")</script> and </textarea><a href="javascript:alert(1)">click</a> \u0007 bell & more.',
  author: '<b onmouseover=alert(1)>Mallory</b>',
  tldr: '<iframe src="https://evil.example"></iframe> TL;DR & <svg onload=alert(1)>',
} as const;

export function hostileRecord(number: number): PaperRecord {
  return paperRecord(number, { title: HOSTILE.title, abstract: HOSTILE.abstract, authors: [HOSTILE.author, 'Alice Smith'], comment: '<script>c()</script>' });
}
