import type { App } from '../../src/app.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { recordAnnouncement } from '../../src/store/papers.ts';

/** A cs.DC paper record with sensible defaults; ids are `2512.1NNNN` by number. */
export function paperRecord(number: number, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id: `2512.${String(10000 + number)}`,
    version: 1,
    title: `Paper ${number}: Efficient LLM Serving with Batching`,
    abstract: `We present system ${number} for LLM inference on GPUs. It improves throughput by 2.1x over vLLM.`,
    authors: ['A. Author'],
    categories: ['cs.DC'],
    primaryCategory: 'cs.DC',
    comment: null,
    journalRef: null,
    doi: null,
    submittedAt: null,
    updatedAt: null,
    ...overrides,
  };
}

/** Stores papers as a day's new announcements, which leaves them pending classification. */
export async function announce(app: App, records: readonly PaperRecord[], day = '2025-12-18', type: 'new' | 'replace' = 'new'): Promise<void> {
  await app.db.transaction(async (tx) => {
    for (const record of records) await recordAnnouncement(tx, day, { paper: record, type }, 'test', '2025-12-18T12:00:00.000Z');
  });
}

export function manyPapers(count: number, overrides: Partial<PaperRecord> = {}): PaperRecord[] {
  return Array.from({ length: count }, (_, index) => paperRecord(index + 1, overrides));
}
