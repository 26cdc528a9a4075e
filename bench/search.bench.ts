import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { matchSubscriptions } from '../src/delivery/match-subscriptions.ts';
import { addDays } from '../src/domain/calendar.ts';
import type { Subscription, SubscriptionKind } from '../src/domain/subscription.ts';
import { subscriptionKey } from '../src/domain/subscription.ts';
import { DEFAULT_TAGS } from '../src/domain/tags.ts';
import { Database } from '../src/store/db.ts';
import { relevantPapersBetween } from '../src/store/papers.ts';
import { DEFAULT_TUNING } from '../src/store/search.ts';
import type { Benchmark } from './run.ts';
import type { ProbeResult } from './search-probe.ts';
import { CLUSTERS, generateSyntheticArchive, textGenerator } from './synthetic-archive.ts';

const PAPERS = 100_000;
/** What a deployment's archive holds: every candidate of a day, of which about 37 in 500 are relevant. */
const REALISTIC_RELEVANT_SHARE = 0.074;
const ROUNDS = 30;
const SUBSCRIPTIONS = 10_000;
const MATCHED_PAPERS = 1_000;

const PHRASES = [
  'kv cache',
  'speculative decoding',
  'expert parallelism',
  'mixture of experts',
  'continuous batching',
  'prefix caching',
  'tensor parallelism',
  'pipeline parallelism',
  'low-bit quantization',
  'long context',
  'test-time compute',
  'vector search',
  'all-to-all communication',
  'fault tolerance',
];

const median = (values: readonly number[]) => percentile(values, 50);
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** 10,000 subscriptions of 4,000 people on Slack and Discord: tags 40%, keywords 35%, phrases 15%, authors 10%. */
function syntheticSubscriptions(count: number): Subscription[] {
  const text = textGenerator(7);
  const topicWords = Object.values(CLUSTERS).flat();
  const tags = DEFAULT_TAGS.map((tag) => tag.name);
  return Array.from({ length: count }, (_, index) => {
    const roll = text.next();
    const kind: SubscriptionKind = roll < 0.4 ? 'tag' : roll < 0.75 ? 'keyword' : roll < 0.9 ? 'phrase' : 'author';
    const value =
      kind === 'tag'
        ? text.pick(tags)
        : kind === 'keyword'
          ? text.next() < 0.7
            ? text.pick(topicWords)
            : `${text.pick(topicWords)} ${text.pick(topicWords)}`
          : kind === 'phrase'
            ? text.pick(PHRASES)
            : text.author();
    const user = text.int(0, 3999);
    return {
      id: index + 1,
      platform: user % 3 ? 'slack' : 'discord',
      userId: `U${user}`,
      kind,
      value,
      key: subscriptionKey(value),
      createdAt: '2025-12-19T00:00:00Z',
    };
  });
}

async function benchMatching(db: Database): Promise<void> {
  const papers = (await relevantPapersBetween(db, addDays('2025-12-19', -30), '2025-12-19')).slice(0, MATCHED_PAPERS);
  const subscriptions = syntheticSubscriptions(SUBSCRIPTIONS);
  const times: number[] = [];
  let result = await matchSubscriptions(papers, subscriptions);
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    result = await matchSubscriptions(papers, subscriptions);
    times.push(performance.now() - started);
  }
  const pairs = result.reduce((sum, entry) => sum + entry.papers.length, 0);
  const distinct = new Set(subscriptions.filter((item) => item.kind === 'keyword' || item.kind === 'phrase').map((item) => `${item.kind}:${item.key}`)).size;
  console.log(
    `\nmatching ${papers.length.toLocaleString('en-US')} papers × ${subscriptions.length.toLocaleString('en-US')} subscriptions (${distinct} distinct keywords/phrases): ` +
      `median ${ms(median(times))}, max ${ms(Math.max(...times))} of 5 → ${result.length.toLocaleString('en-US')} people, ${pairs.toLocaleString('en-US')} (person, paper) alerts`,
  );
}

export const searchBench: Benchmark = {
  name: 'search',
  summary: `/papers over a ${PAPERS.toLocaleString('en-US')}-paper synthetic archive vs bare FTS5; RSS; matching ${MATCHED_PAPERS.toLocaleString('en-US')} papers × ${SUBSCRIPTIONS.toLocaleString('en-US')} subscriptions`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-search-'));
    try {
      const path = join(dir, 'archive.db');
      const db = await Database.open(`sqlite://${path}`);
      const archive = await generateSyntheticArchive(db, { papers: PAPERS });
      await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      console.log(
        `archive: ${archive.papers.toLocaleString('en-US')} papers (${archive.firstDay} … ${archive.lastDay}) generated in ${(archive.ms / 1000).toFixed(1)} s, ` +
          `${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`,
      );
      await benchMatching(db);
      await db.close();

      report(await probe(path));

      // The same size of archive as a deployment grows it: all candidates stored, few relevant.
      const realisticPath = join(dir, 'realistic.db');
      const realistic = await Database.open(`sqlite://${realisticPath}`);
      await generateSyntheticArchive(realistic, { papers: PAPERS, relevantShare: REALISTIC_RELEVANT_SHARE });
      await realistic.close();
      reportRealistic(await probe(realisticPath));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function probe(path: string): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [new URL('./search-probe.ts', import.meta.url).pathname, path, String(ROUNDS)], {
    maxBuffer: 64 * 2 ** 20,
  });
  return JSON.parse(stdout) as ProbeResult;
}

function reportRealistic(result: ProbeResult): void {
  const all = result.queries.flatMap((figures) => figures.ours);
  const slowest = [...result.queries].sort((a, b) => percentile(b.ours, 99) - percentile(a.ours, 99)).slice(0, 3);
  console.log(
    `\nthe same mix on a ${PAPERS.toLocaleString('en-US')}-paper archive as a deployment stores it (${(REALISTIC_RELEVANT_SHARE * 100).toFixed(1)}% relevant, ` +
      `the rest candidates kept out of the full-text index): all ${all.length} /papers calls p50 ${ms(median(all))}, p99 ${ms(percentile(all, 99))}, max ${ms(Math.max(...all))}; ` +
      `slowest p99: ${slowest.map((figures) => `${figures.query} ${ms(percentile(figures.ours, 99))}`).join(', ')}`,
  );
}

function report(result: ProbeResult): void {
  console.log(
    `\n/papers end-to-end in-process (parse → SQLite → Reply), ${ROUNDS} rounds of ${result.queries.length} queries, vs the bare FTS5 MATCH … ORDER BY bm25 LIMIT 9 for the same FTS expression:`,
  );
  console.log(`${'query'.padEnd(36)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'bare p50'.padStart(9)}  ratio`);
  for (const { query, ours, bare, narrowed } of result.queries) {
    const ratio = bare ? `${(median(ours) / median(bare)).toFixed(2)}×` : '(no text: no FTS5)';
    console.log(
      `${`${query}${narrowed ? ' *' : ''}`.padEnd(36)} ${ms(median(ours)).padStart(9)} ${ms(percentile(ours, 99)).padStart(9)} ${(bare ? ms(median(bare)) : '—').padStart(9)}  ${ratio}`,
    );
  }
  for (const { query, whole, text } of result.queries) {
    if (!whole) continue;
    const from = text.match(/the best since (\d{4}-\d\d-\d\d)/)?.[1];
    console.log(
      `* matches more than ${DEFAULT_TUNING.broad.toLocaleString('en-US')} papers: ranked since ${from}, as the reply says; ` +
        `with a date (\`${query} since 2000-01-01\`) every match is ranked: p50 ${ms(median(whole))}, p99 ${ms(percentile(whole, 99))}`,
    );
  }
  const all = result.queries.flatMap((figures) => figures.ours);
  const withText = result.queries.filter((figures) => figures.bare);
  const ours = withText.reduce((sum, figures) => sum + median(figures.ours), 0);
  const bare = withText.reduce((sum, figures) => sum + median(figures.bare ?? []), 0);
  console.log(`\nall ${all.length} /papers calls: p50 ${ms(median(all))}, p99 ${ms(percentile(all, 99))}, max ${ms(Math.max(...all))}`);
  console.log(`overhead over bare FTS5 (text queries, sum of medians): ${(ours / bare).toFixed(2)}×  (${ms(ours)} vs ${ms(bare)})`);
  console.log(
    `RSS of a process with the archive open: ${result.rssOpenMb.toFixed(0)} MiB after opening, ${result.rssAfterMb.toFixed(0)} MiB after the runs ` +
      `(${result.rssBeforeMb.toFixed(0)} MiB with the code loaded, before opening; JS heap ${result.heapMb.toFixed(0)} MiB)`,
  );
}
