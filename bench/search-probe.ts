/**
 * Child process of the search benchmark: opens an archive as the app does and measures /papers and
 * the bare FTS5 query for each query of the mix, then its own memory. A separate process, so the
 * RSS is that of a process with the archive open, not of the one that generated it.
 *
 * `node bench/search-probe.ts <archive.db> <rounds>` → one JSON object on stdout.
 */
import { commandServices } from '../commands/command.ts';
import { papersCommand } from '../commands/papers.ts';
import { runCommand } from '../commands/run-command.ts';
import { openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { parseQuery } from '../src/domain/query.ts';
import { createLogger } from '../src/log.ts';
import { ftsMatch, ftsPhrase } from '../src/store/search.ts';

/** Twenty queries as people type them: tags, dates, words, phrases, exclusions, authors, and a broad one. */
export const QUERY_MIX = [
  'MoE offloading',
  'serving last week',
  'kv cache',
  '"speculative decoding"',
  'quantization 2025-12',
  'mixture of experts routing',
  'training since 2025-06-01',
  'RL rollout',
  'author:Zhang',
  'sparse attention long context',
  'disaggregated prefill decode',
  'kernel fp8 gemm',
  'RAG retrieval latency this month',
  'scheduling throughput',
  'multimodal serving',
  'networking rdma collective',
  'checkpoint storage -ssd',
  'dec 2025',
  'video kv',
  'llm inference memory',
];

/** Queries with OR (groups of tags, of phrases and words, with a tag or a date around them): measured after the mix. */
export const OR_MIX = ['MoE OR serving', '"kv cache" OR prefill scheduling', 'quantization OR sparse kernel', 'expert OR routing last month'];

/** `whole`: for a query narrowed to recent days, the same query with a date, which ranks every match. */
export type QueryFigures = { query: string; ours: number[]; bare: number[] | null; text: string; narrowed: boolean; whole: number[] | null };
export type ProbeResult = { rssBeforeMb: number; rssOpenMb: number; rssAfterMb: number; heapMb: number; queries: QueryFigures[] };

async function probe(path: string, rounds: number): Promise<ProbeResult> {
  const config = loadConfig({ DATABASE_URL: `sqlite://${path}`, LOG_LEVEL: 'silent', DIGEST_TIMEZONE: 'Asia/Shanghai' });
  const now = () => new Date('2025-12-19T01:30:00Z');
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const app = await openApp(config, createLogger('silent'), { now });
  const rssOpenMb = process.memoryUsage().rss / 2 ** 20;
  const context = {
    caller: { platform: 'console' as const, userId: 'bench', displayName: 'bench', channelId: null, canAdministerChannel: false, timeZone: null },
    now,
    services: commandServices(app),
  };
  const queries: QueryFigures[] = [...QUERY_MIX, ...OR_MIX].map((query) => ({ query, ours: [], bare: null, text: '', narrowed: false, whole: null }));
  const bareSql = 'SELECT rowid, bm25(papers_fts, 10.0, 1.0, 3.0, 2.0, 0.0) AS score FROM papers_fts WHERE papers_fts MATCH ? ORDER BY score LIMIT 9';
  for (let round = -2; round < rounds; round++) {
    // Interleaved, so both sides see the same cache state; the first two rounds warm up.
    for (const figures of queries) {
      const started = performance.now();
      const reply = await runCommand(papersCommand, context, { text: figures.query });
      const ours = performance.now() - started;
      figures.text = reply.text;
      figures.narrowed = reply.text.includes('too many to rank them all');
      let whole: number | null = null;
      if (figures.narrowed) {
        const wholeStarted = performance.now();
        await runCommand(papersCommand, context, { text: `${figures.query} since 2000-01-01` });
        whole = performance.now() - wholeStarted;
      }
      const parsed = parseQuery(figures.query, { vocabulary: app.vocabulary, today: '2025-12-19' });
      const match = ftsMatch(parsed);
      let bare: number | null = null;
      if (match) {
        const expression = parsed.excluded.length ? `(${match}) NOT (${parsed.excluded.map(ftsPhrase).join(' OR ')})` : match;
        const bareStarted = performance.now();
        await app.db.all(bareSql, [expression]);
        bare = performance.now() - bareStarted;
      }
      if (round < 0) continue;
      figures.ours.push(ours);
      if (whole !== null) {
        figures.whole ??= [];
        figures.whole.push(whole);
      }
      if (bare !== null) {
        figures.bare ??= [];
        figures.bare.push(bare);
      }
    }
  }
  const rssAfterMb = process.memoryUsage().rss / 2 ** 20;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  await app.close();
  return { rssBeforeMb, rssOpenMb, rssAfterMb, heapMb, queries };
}

if (import.meta.main) {
  const [path, rounds = '30'] = process.argv.slice(2);
  if (!path) throw new Error('usage: node bench/search-probe.ts <archive.db> [rounds]');
  process.stdout.write(JSON.stringify(await probe(path, Number(rounds))));
}
