import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { EMPTY_QUERY } from '../src/domain/query.ts';
import { createLogger } from '../src/log.ts';
import { importReadme } from '../src/pipeline/import-readme.ts';
import { Database } from '../src/store/db.ts';
import { cosine, loadEmbeddingIndex } from '../src/store/embedding-index.ts';
import { blobVector, embeddingsByPk, vectorBlob } from '../src/store/embeddings.ts';
import { NO_FILTER } from '../src/store/paper-facets.ts';
import type { LikeProbeResult } from './like-probe.ts';
import type { Benchmark } from './run.ts';
import { generateSyntheticArchive } from './synthetic-archive.ts';

const PAPERS = 100_000;
const QUERIES = 200;
const DIMENSIONS = 1536;
const SPACE = `bench@${DIMENSIONS}`;
const RECALL_SOURCES = 50;

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

export const likeBench: Benchmark = {
  name: 'like',
  summary: `/papers like: — quality on the seed README vs random; p50/p99 on a ${PAPERS.toLocaleString('en-US')}-paper archive by words and by ${DIMENSIONS}-dimension embeddings`,
  async run() {
    await quality();
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-like-'));
    try {
      const path = join(dir, 'archive.db');
      const db = await Database.open(`sqlite://${path}`);
      const archive = await generateSyntheticArchive(db, { papers: PAPERS });
      await db.close();
      console.log(`\narchive: ${archive.papers.toLocaleString('en-US')} relevant papers, generated in ${(archive.ms / 1000).toFixed(1)} s`);
      report('by words (tf-idf, the default)', await probe(path));

      const vectors = await storeVectors(path);
      console.log(
        `\n${PAPERS.toLocaleString('en-US')} synthetic ${DIMENSIONS}-dimension vectors stored in ${(vectors.ms / 1000).toFixed(1)} s; archive now ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`,
      );
      report(`by embeddings (sign bits in memory, top ${200} re-ranked by exact cosine)`, await probe(path, SPACE));
      await recall(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** On the imported seed README: how often a paper's 8 nearest tagged papers share its tag, against a random pick. */
async function quality(): Promise<void> {
  const config = loadConfig({ DATABASE_URL: 'sqlite://:memory:', LOG_LEVEL: 'silent' });
  const app = await openApp(config, createLogger('silent'), { now: () => new Date('2025-12-19T01:30:00Z') });
  try {
    await importReadme(app.db, readFileSync(new URL('../test/fixtures/seed-readme.md', import.meta.url), 'utf8'), app.vocabulary, app.now);
    const rows = await app.db.all<{ id: string; tags: string }>("SELECT paper_id AS id, tags FROM classifications WHERE relevant = 1 AND tags <> '[]'");
    const tagged = new Map(rows.map((row) => [row.id, JSON.parse(row.tags) as string[]]));
    const anyTag = [app.vocabulary.names().map((name) => ({ kind: 'tag' as const, value: name }))];
    const neighbours = new Map<string, string[][]>();
    for (const id of tagged.keys()) {
      const page = await app.similar.find({ ...EMPTY_QUERY, like: id, anyOf: anyTag }, { limit: 8, offset: 0 });
      neighbours.set(
        id,
        page.papers.map((paper) => tagged.get(paper.id) ?? []),
      );
    }
    console.log(
      `\nquality on the seed README (${tagged.size} papers with tags, of ${(await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM classifications WHERE relevant = 1'))?.n} imported): ` +
        'share of the 8 nearest tagged papers that carry the paper’s tag, vs a random pick of tagged papers',
    );
    console.log(`${'tag'.padEnd(14)} ${'papers'.padStart(6)} ${'top 8'.padStart(6)} ${'random'.padStart(7)}  ratio`);
    for (const tag of app.vocabulary.names()) {
      const sources = [...tagged].filter(([, tags]) => tags.includes(tag));
      if (sources.length < 5) continue;
      const shown = sources.flatMap(([id]) => neighbours.get(id) ?? []);
      const share = shown.filter((tags) => tags.includes(tag)).length / shown.length;
      const random = (sources.length - 1) / (tagged.size - 1);
      console.log(
        `${tag.padEnd(14)} ${String(sources.length).padStart(6)} ${share.toFixed(2).padStart(6)} ${random.toFixed(2).padStart(7)}  ${(share / random).toFixed(1)}×`,
      );
    }
    let shared = 0;
    let shown = 0;
    let random = 0;
    for (const [id, tags] of tagged) {
      for (const other of neighbours.get(id) ?? []) {
        shown++;
        if (other.some((tag) => tags.includes(tag))) shared++;
      }
      random += [...tagged].filter(([other, otherTags]) => other !== id && otherTags.some((tag) => tags.includes(tag))).length / (tagged.size - 1);
    }
    console.log(`any tag in common: top 8 ${(shared / shown).toFixed(2)}, random ${(random / tagged.size).toFixed(2)}`);
  } finally {
    await app.close();
  }
}

async function probe(path: string, space?: string): Promise<LikeProbeResult> {
  const args = ['--expose-gc', new URL('./like-probe.ts', import.meta.url).pathname, path, String(QUERIES), ...(space ? [space] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(stdout) as LikeProbeResult;
}

function report(title: string, result: LikeProbeResult): void {
  console.log(`\n/papers like: ${title}, end to end in-process (parse → index → SQLite → Reply), ${QUERIES} random papers:`);
  console.log(`${'query'.padEnd(34)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)} ${'CPU p50'.padStart(9)} ${'CPU p99'.padStart(9)}  method`);
  for (const figures of result.queries) {
    const columns = [
      percentile(figures.ms, 50),
      percentile(figures.ms, 99),
      Math.max(...figures.ms),
      percentile(figures.cpuMs, 50),
      percentile(figures.cpuMs, 99),
    ];
    console.log(`${figures.label.padEnd(34)} ${columns.map((value) => ms(value).padStart(9)).join(' ')}  ${figures.method}`);
  }
  const all = result.queries.flatMap((figures) => figures.ms);
  const cpu = result.queries.flatMap((figures) => figures.cpuMs);
  console.log(
    `all ${all.length} calls: p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))} (CPU time of this process: p50 ${ms(percentile(cpu, 50))}, p99 ${ms(percentile(cpu, 99))}; load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)`,
  );
  console.log(
    `index built in ${(result.buildMs / 1000).toFixed(1)} s; RSS ${result.rssOpenMb.toFixed(0)} MiB with the archive open → ${result.rssBuiltMb.toFixed(0)} MiB with the index ` +
      `(typed arrays ${result.externalMb.toFixed(0)} MiB, JS heap ${result.heapMb.toFixed(0)} MiB; ${result.rssBeforeMb.toFixed(0)} MiB before opening)`,
  );
}

/**
 * Synthetic embeddings with topical structure: each tag has a random direction, a paper's vector
 * is the sum of its tags' directions plus as much noise, normalised. Deterministic.
 */
async function storeVectors(path: string): Promise<{ ms: number }> {
  const started = performance.now();
  const db = await Database.open(`sqlite://${path}`);
  const random = gaussian(7);
  const directions = new Map<string, Float32Array>();
  const direction = (tag: string) => {
    let found = directions.get(tag);
    if (!found) {
      found = unit(Float32Array.from({ length: DIMENSIONS }, random));
      directions.set(tag, found);
    }
    return found;
  };
  const rows = await db.all<{ id: string; tags: string }>('SELECT paper_id AS id, tags FROM classifications WHERE relevant = 1');
  await db.transaction(async (tx) => {
    for (const row of rows) {
      const vector = Float32Array.from({ length: DIMENSIONS }, () => random() / Math.sqrt(DIMENSIONS));
      for (const tag of JSON.parse(row.tags) as string[]) {
        const along = direction(tag);
        for (let index = 0; index < DIMENSIONS; index++) vector[index] = (vector[index] as number) + (along[index] as number);
      }
      await tx.run('INSERT INTO paper_embeddings (paper_id, space, dimensions, vector, tokens, created_at) VALUES (?, ?, ?, ?, 0, ?)', [
        row.id,
        SPACE,
        DIMENSIONS,
        vectorBlob(unit(vector)),
        '2025-12-19T00:00:00Z',
      ]);
    }
  });
  await db.close();
  return { ms: performance.now() - started };
}

/**
 * The approximation against the exact answer: recall of the true 8 nearest (brute-force cosine
 * over every vector held as Float32Arrays) in the sign-bit + re-rank answer, and what the brute
 * force itself costs in memory and time.
 */
async function recall(path: string): Promise<void> {
  const db = await Database.open(`sqlite://${path}`);
  try {
    const index = await loadEmbeddingIndex(db, SPACE);
    if (!index) return;
    const matrix = new Float32Array(index.size * DIMENSIONS);
    const pks = new Int32Array(index.size);
    let count = 0;
    for (let after = 0; ; ) {
      const chunk = await db.all<{ pk: number; vector: Uint8Array }>(
        'SELECT p.pk, e.vector FROM paper_embeddings e JOIN papers p ON p.id = e.paper_id WHERE e.space = ? AND p.pk > ? ORDER BY p.pk LIMIT 2000',
        [SPACE, after],
      );
      for (const row of chunk) {
        matrix.set(blobVector(row.vector), count * DIMENSIONS);
        pks[count++] = row.pk;
      }
      if (chunk.length < 2000) break;
      after = (chunk.at(-1) as { pk: number }).pk;
    }
    let found = 0;
    let exactCosines = 0;
    let ourCosines = 0;
    const bruteMs: number[] = [];
    for (let source = 0; source < RECALL_SOURCES; source++) {
      const at = Math.floor((source * count) / RECALL_SOURCES);
      const vector = matrix.subarray(at * DIMENSIONS, (at + 1) * DIMENSIONS);
      const cpu = process.cpuUsage();
      const scores = new Float32Array(count);
      for (let paper = 0; paper < count; paper++) scores[paper] = dot(matrix, paper * DIMENSIONS, vector);
      const used = process.cpuUsage(cpu);
      bruteMs.push((used.user + used.system) / 1000);
      scores[at] = -2;
      const best = [...scores.keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number)).slice(0, 8);
      exactCosines += best.reduce((sum, paper) => sum + (scores[paper] as number), 0);
      const exact = new Set(best.map((paper) => pks[paper] as number));
      const candidates = index.candidates(vector, { ...NO_FILTER, excludePk: pks[at] as number }, 200);
      const stored = await embeddingsByPk(db, SPACE, candidates);
      const ours = candidates
        .map((pk) => ({ pk, score: cosine(vector, stored.get(pk) as Float32Array) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 8);
      found += ours.filter((neighbour) => exact.has(neighbour.pk)).length;
      ourCosines += ours.reduce((sum, neighbour) => sum + neighbour.score, 0);
    }
    console.log(
      `recall of the exact 8 nearest in the sign-bit + re-rank answer: ${(found / (8 * RECALL_SOURCES)).toFixed(2)} over ${RECALL_SOURCES} papers ` +
        `(mean cosine of the 8 found ${(ourCosines / (8 * RECALL_SOURCES)).toFixed(3)}, of the exact 8 ${(exactCosines / (8 * RECALL_SOURCES)).toFixed(3)}); ` +
        `in-memory index ${(index.bytes / 2 ** 20).toFixed(0)} MiB vs ${(matrix.byteLength / 2 ** 20).toFixed(0)} MiB of Float32 vectors; ` +
        `brute-force cosine over them: CPU p50 ${ms(percentile(bruteMs, 50))}, p99 ${ms(percentile(bruteMs, 99))} per query (dot products alone, 4 sums unrolled)`,
    );
  } finally {
    await db.close();
  }
}

/** Four running sums: the fastest plain-JavaScript dot product measured here. */
function dot(matrix: Float32Array, offset: number, vector: Float32Array): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let index = 0; index < vector.length; index += 4) {
    a += (matrix[offset + index] as number) * (vector[index] as number);
    b += (matrix[offset + index + 1] as number) * (vector[index + 1] as number);
    c += (matrix[offset + index + 2] as number) * (vector[index + 2] as number);
    d += (matrix[offset + index + 3] as number) * (vector[index + 3] as number);
  }
  return a + b + c + d;
}

function unit(vector: Float32Array): Float32Array {
  const length = Math.hypot(...vector) || 1;
  return vector.map((value) => value / length);
}

/** Box–Muller over mulberry32. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}
