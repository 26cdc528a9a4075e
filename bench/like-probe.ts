/**
 * Child process of the "more like this" benchmark: opens an archive as the app does, builds the
 * similarity index, and measures `/papers like:` end to end (parse → index → SQLite → Reply) for
 * random papers, alone and with a date or a tag, then its own memory. A separate process, so the
 * RSS is that of a process with the archive open and the index built.
 *
 * `node bench/like-probe.ts <archive.db> <queries> [embedding space]` → one JSON object on stdout.
 */
import { commandServices } from '../commands/command.ts';
import { papersCommand } from '../commands/papers.ts';
import { runCommand } from '../commands/run-command.ts';
import { openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';

/** `ms`: wall time; `cpuMs`: this process's CPU time for the same call (what other processes on the machine cannot inflate). */
export type LikeFigures = { label: string; ms: number[]; cpuMs: number[]; method: string };
export type LikeProbeResult = {
  buildMs: number;
  rssBeforeMb: number;
  rssOpenMb: number;
  rssBuiltMb: number;
  heapMb: number;
  externalMb: number;
  queries: LikeFigures[];
};

const VARIANTS: readonly { label: string; suffix: string }[] = [
  { label: 'like:<id>', suffix: '' },
  { label: 'like:<id> since 2025-06', suffix: ' since 2025-06' },
  { label: 'like:<id> MoE', suffix: ' MoE' },
  { label: 'like:<id> 2025-12-15 (one day)', suffix: ' 2025-12-15' },
];

async function probe(path: string, count: number, space: string | undefined): Promise<LikeProbeResult> {
  const env: Record<string, string> = { DATABASE_URL: `sqlite://${path}`, LOG_LEVEL: 'silent', DIGEST_TIMEZONE: 'Asia/Shanghai' };
  // Every paper has a stored vector: the server is never asked (a closed port would fail loudly).
  if (space) Object.assign(env, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_EMBEDDING_MODEL: space, OPENAI_MAX_RETRIES: '0' });
  const config = loadConfig(env);
  const now = () => new Date('2025-12-19T01:30:00Z');
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const app = await openApp(config, createLogger('silent'), { now });
  const rssOpenMb = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  await app.similar.refresh();
  const buildMs = performance.now() - started;
  globalThis.gc?.();
  const rssBuiltMb = process.memoryUsage().rss / 2 ** 20;
  const context = {
    caller: { platform: 'console' as const, userId: 'bench', displayName: 'bench', channelId: null, canAdministerChannel: false, timeZone: null },
    now,
    services: commandServices(app),
  };
  const ids = (await app.db.all<{ id: string }>('SELECT paper_id AS id FROM classifications WHERE relevant = 1 ORDER BY random() LIMIT ?', [count + 20])).map(
    (row) => row.id,
  );
  const queries: LikeFigures[] = VARIANTS.map((variant) => ({ label: variant.label, ms: [], cpuMs: [], method: '' }));
  for (const [round, id] of ids.entries()) {
    for (const [index, variant] of VARIANTS.entries()) {
      const figures = queries[index] as LikeFigures;
      const cpu = process.cpuUsage();
      const begun = performance.now();
      const reply = await runCommand(papersCommand, context, { text: `like:${id}${variant.suffix}` });
      const ms = performance.now() - begun;
      const used = process.cpuUsage(cpu);
      // The first 20 warm up the statement cache and the JIT.
      if (round < 20) continue;
      figures.ms.push(ms);
      figures.cpuMs.push((used.user + used.system) / 1000);
      figures.method = reply.text.includes('(by embeddings') ? 'embeddings' : reply.text.includes('(by the distinctive words') ? 'words' : '?';
    }
  }
  const memory = process.memoryUsage();
  await app.close();
  return { buildMs, rssBeforeMb, rssOpenMb, rssBuiltMb, heapMb: memory.heapUsed / 2 ** 20, externalMb: memory.arrayBuffers / 2 ** 20, queries };
}

if (import.meta.main) {
  const [path, count = '200', space] = process.argv.slice(2);
  if (!path) throw new Error('usage: node bench/like-probe.ts <archive.db> [queries] [embedding space]');
  process.stdout.write(JSON.stringify(await probe(path, Number(count), space)));
}
