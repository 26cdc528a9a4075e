/**
 * `npm run bench [name…]`: runs the listed benchmarks (all by default) and prints their figures.
 * Benchmarks measure; they assert nothing and are not part of the test suite.
 */
import { classifyBench } from './classify.bench.ts';
import { dailyRunBench } from './daily-run.bench.ts';
import { discordBench } from './discord.bench.ts';
import { discordStopBench } from './discord-stop.bench.ts';
import { evalBench } from './eval.bench.ts';
import { ingestBench } from './ingest.bench.ts';
import { likeBench } from './like.bench.ts';
import { searchBench } from './search.bench.ts';
import { slackBench } from './slack.bench.ts';
import { slackRecycleBench } from './slack-recycle.bench.ts';
import { stopBench } from './stop.bench.ts';
import { votesBench } from './votes.bench.ts';
import { webBench } from './web.bench.ts';

export type Benchmark = { readonly name: string; readonly summary: string; run(): Promise<void> };

const BENCHMARKS: readonly Benchmark[] = [
  ingestBench,
  classifyBench,
  searchBench,
  likeBench,
  dailyRunBench,
  slackBench,
  slackRecycleBench,
  discordBench,
  discordStopBench,
  webBench,
  evalBench,
  stopBench,
  votesBench,
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? BENCHMARKS.filter((bench) => wanted.includes(bench.name)) : BENCHMARKS;
if (selected.length === 0) {
  console.error(`unknown benchmark; choose from: ${BENCHMARKS.map((bench) => bench.name).join(', ')}`);
  process.exitCode = 2;
}
for (const bench of selected) {
  console.log(`\n## ${bench.name} — ${bench.summary}`);
  await bench.run();
}
