import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseAtom } from '../src/arxiv/parse-atom.ts';
import { createVocabulary } from '../src/domain/tags.ts';
import { importReadme } from '../src/pipeline/import-readme.ts';
import { Database } from '../src/store/db.ts';
import { recordAnnouncement } from '../src/store/papers.ts';
import { renderAtomFeed, syntheticEntry } from '../test/fakes/atom.ts';
import type { Benchmark } from './run.ts';

const ENTRIES = 2000;
const ROUNDS = 5;

/** A 2,000-entry export-API page with abstracts of realistic length (~1,100 characters). */
function apiPage(): string {
  const filler =
    ' We implement the design in a production serving stack and evaluate it on clusters of 8 to 256 GPUs with models from 7B to 405B parameters, mixed prompt lengths and bursty arrival traces; it keeps tail latency within the SLO while raising throughput, and the ablation isolates the contribution of each mechanism.';
  const entries = Array.from({ length: ENTRIES }, (_, index) => {
    const entry = syntheticEntry(index, new Date(Date.UTC(2025, 11, 16, 19) + index * 30_000).toISOString());
    return {
      ...entry,
      summary: entry.summary + filler.repeat(3),
      authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'],
    };
  });
  return renderAtomFeed(entries, { total: ENTRIES, start: 0, perPage: ENTRIES, query: 'cat:cs.DC' });
}

async function median(rounds: number, run: () => Promise<void> | void): Promise<number> {
  await run(); // warm-up: JIT and caches, not counted
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

const rate = (ms: number) => `${Math.round((ENTRIES / ms) * 1000).toLocaleString('en-US')} entries/s (${ms.toFixed(0)} ms)`;

export const ingestBench: Benchmark = {
  name: 'ingest',
  summary: 'parse + store throughput of a 2,000-entry API page; seed import time and archive size',
  async run() {
    const xml = apiPage();
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-ingest-'));
    try {
      const bare = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
      const bareMs = await median(ROUNDS, () => void bare.parse(xml));
      const parseMs = await median(ROUNDS, () => void parseAtom(xml));
      let round = 0;
      const storeMs = await median(ROUNDS, async () => {
        const db = await Database.open(`sqlite://${join(dir, `page-${round++}.db`)}`);
        const page = parseAtom(xml);
        await db.transaction(async (tx) => {
          const now = new Date().toISOString();
          for (const paper of page.entries) await recordAnnouncement(tx, '2025-12-17', { paper, type: 'new' }, 'api', now);
        });
        await db.close();
      });
      console.log(`document: ${(xml.length / 1e6).toFixed(1)} MB, ${ENTRIES} entries, median of ${ROUNDS}`);
      console.log(`fast-xml-parser bare parse:        ${rate(bareMs)}`);
      console.log(`parseAtom (validate+parse+zod):    ${rate(parseMs)}  = ${(parseMs / bareMs).toFixed(2)}× bare`);
      console.log(`parseAtom + store (one tx, file):  ${rate(storeMs)}  = ${(storeMs / bareMs).toFixed(2)}× bare`);

      const seed = readFileSync(new URL('../test/fixtures/seed-readme.md', import.meta.url), 'utf8');
      const importMs = await median(ROUNDS, async () => {
        const path = join(dir, `seed-${round++}.db`);
        const db = await Database.open(`sqlite://${path}`);
        await importReadme(db, seed, createVocabulary(), () => new Date());
        await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
        await db.close();
      });
      const size = statSync(join(dir, `seed-${round - 1}.db`)).size;
      console.log(`seed import (854 entries → 847 papers): ${importMs.toFixed(0)} ms median; archive file ${(size / 1024).toFixed(0)} KiB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
