import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../src/app.ts';
import type { PaperRecord } from '../src/domain/paper.ts';
import { createVocabulary } from '../src/domain/tags.ts';
import { loadClassifyPrompt } from '../src/llm/classify-prompt.ts';
import { createKeywordClassifier, loadKeywordRules } from '../src/llm/keyword-classifier.ts';
import { createPrefilter, loadPrefilterRules } from '../src/llm/prefilter.ts';
import { parseReadme } from '../src/markdown/parse-readme.ts';
import { type ClassifyReport, classifyPending } from '../src/pipeline/classify.ts';
import { DEFAULT_PROMPTS_DIR } from '../src/pipeline/create-classify-deps.ts';
import { type FakeAnswer, FakeOpenAi, type FakePaper } from '../test/fakes/openai-server.ts';
import { announce } from '../test/helpers/papers.ts';
import { openTestApp } from '../test/helpers/test-app.ts';
import { REALISTIC_MIX, realisticDay } from './realistic-day.ts';
import type { Benchmark } from './run.ts';

const LATENCY_MS = 1500;
/** The original's one-call-per-paper run takes ~12.5 minutes for 500 papers; BENCH_ORIGINAL_LIMIT samples fewer and extrapolates. */
const ORIGINAL_LIMIT = Number(process.env.BENCH_ORIGINAL_LIMIT ?? REALISTIC_MIX.total);

const vocabulary = createVocabulary();
const seed = parseReadme(readFileSync(new URL('../test/fixtures/seed-readme.md', import.meta.url), 'utf8'));
const tagged = seed.entries.filter((entry) => entry.tags.length > 0);

export const classifyBench: Benchmark = {
  name: 'classify',
  summary: `LLM cost of a 500-candidate day against a fake with ${LATENCY_MS / 1000} s latency, vs the original one-call-per-paper; pre-filter and keyword figures on the seed`,
  async run() {
    const day = realisticDay();
    const positives = new Set(day.slice(0, REALISTIC_MIX.dcPositives + REALISTIC_MIX.lgPositives).map((paper) => paper.id));
    const fake = await FakeOpenAi.start({ latencyMs: LATENCY_MS });
    fake.answer = (paper: FakePaper): FakeAnswer =>
      positives.has(paper.id)
        ? {
            relevant: true,
            tags: ['serving', 'kernel'],
            tldr: 'Co-schedules compute and communication for LLM serving; 2.4x higher throughput, 38% lower tail latency.',
          }
        : { relevant: false, tags: [], tldr: null };
    try {
      console.log(
        `day: ${day.length} candidates (${REALISTIC_MIX.dcPositives + REALISTIC_MIX.dcOthers} cs.DC, ${REALISTIC_MIX.osPapers} cs.OS, ${day.length - REALISTIC_MIX.dcPositives - REALISTIC_MIX.dcOthers - REALISTIC_MIX.osPapers} cs.LG-only; ${positives.size} relevant), mean abstract ${Math.round(day.reduce((sum, paper) => sum + paper.abstract.length, 0) / day.length)} chars`,
      );
      const withPrefilter = await runOurs(fake, day, {});
      const batchingOnly = await runOurs(fake, day, { LLM_PREFILTER_CATEGORIES: 'none' });
      const original = await runOriginal(fake, day.slice(0, Math.min(ORIGINAL_LIMIT, day.length)));
      const scale = day.length / original.papers;
      const originalWall = original.wallMs * scale;
      console.log('\n| approach | LLM requests | requests/candidate | tokens/candidate | wall time | vs original |');
      console.log('| --- | --- | --- | --- | --- | --- |');
      const row = (name: string, requests: number, tokens: number, wallMs: number) =>
        console.log(
          `| ${name} | ${requests} | ${(requests / day.length).toFixed(3)} | ${Math.round(tokens / day.length)} | ${(wallMs / 1000).toFixed(1)} s | ${(originalWall / wallMs).toFixed(1)}× faster, ${((original.requests * scale) / Math.max(requests, 1)).toFixed(1)}× fewer requests, ${((original.tokens * scale) / Math.max(tokens, 1)).toFixed(1)}× fewer tokens |`,
        );
      console.log(
        `| original: 1 sequential call per paper, JSON mode, max_tokens 300${original.papers < day.length ? ` (measured on ${original.papers}, scaled ×${scale.toFixed(1)})` : ''} | ${Math.round(original.requests * scale)} | ${((original.requests * scale) / day.length).toFixed(3)} | ${Math.round((original.tokens * scale) / day.length)} | ${(originalWall / 1000).toFixed(1)} s | 1× |`,
      );
      row('batches of 8, 4 in flight, no pre-filter', batchingOnly.first.requests, batchingOnly.first.totalTokens, batchingOnly.first.durationMs);
      row(
        'batches of 8, 4 in flight, cs.LG pre-filter (default)',
        withPrefilter.first.requests,
        withPrefilter.first.totalTokens,
        withPrefilter.first.durationMs,
      );
      console.log(
        `\npre-filter on this day: ${withPrefilter.first.prefiltered} of ${day.length} stored irrelevant without a call; sent to the LLM: ${day.length - withPrefilter.first.prefiltered} (${pct(day.length - withPrefilter.first.prefiltered, day.length)}); relevant found: ${withPrefilter.first.relevant} of ${positives.size} (synthetic off-topic papers: illustrative only)`,
      );
      console.log(
        `re-run of the same day: ${withPrefilter.rerun.requests} requests (nothing pending); after resetting all ${day.length} to pending: ${withPrefilter.afterReset.requests} requests, ${withPrefilter.afterReset.cached} verdicts from the cache`,
      );
      prefilterOnSeed();
      keywordsOnSeed();
    } finally {
      await fake.close();
    }
  },
};

type OurRun = { first: ClassifyReport; rerun: ClassifyReport; afterReset: ClassifyReport };

async function runOurs(fake: FakeOpenAi, day: readonly PaperRecord[], env: Record<string, string>): Promise<OurRun> {
  const app: App = await openTestApp({
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_MODEL: 'fake-model',
    OPENAI_TIMEOUT_MS: '60000',
    LLM_DAILY_TOKEN_CAP: '0',
    ...env,
  });
  try {
    await announce(app, day);
    const first = await classifyPending(app.classify);
    const rerun = await classifyPending(app.classify);
    await app.db.run("UPDATE classifications SET status = 'pending'");
    const afterReset = await classifyPending(app.classify);
    return { first, rerun, afterReset };
  } finally {
    await app.close();
  }
}

/** The original workflow: one chat completion per paper, in sequence, JSON mode, 300 max tokens. */
async function runOriginal(fake: FakeOpenAi, papers: readonly PaperRecord[]): Promise<{ papers: number; requests: number; tokens: number; wallMs: number }> {
  const prompt = loadClassifyPrompt(DEFAULT_PROMPTS_DIR, vocabulary);
  const started = performance.now();
  let tokens = 0;
  for (const paper of papers) {
    const response = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
      body: JSON.stringify({
        model: 'fake-model',
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user([paper]) },
        ],
        response_format: { type: 'json_object' },
        max_tokens: 300,
      }),
    });
    const body = (await response.json()) as { usage?: { total_tokens?: number } };
    tokens += body.usage?.total_tokens ?? 0;
  }
  return { papers: papers.length, requests: papers.length, tokens, wallMs: performance.now() - started };
}

function prefilterOnSeed(): void {
  const prefilter = createPrefilter(loadPrefilterRules(join(DEFAULT_PROMPTS_DIR, 'prefilter.json')), {
    followed: ['cs.DC', 'cs.OS', 'cs.LG'],
    filtered: ['cs.LG'],
  });
  const passed = tagged.filter((entry) => prefilter.plausible(entry.title)).length;
  const all = seed.entries.filter((entry) => prefilter.plausible(entry.title)).length;
  console.log(`\npre-filter rule on the seed, by title only (no abstracts in the seed; all are known positives):`);
  console.log(
    `  226 tagged papers: ${passed} pass (${pct(passed, tagged.length)}); all ${seed.entries.length} entries: ${all} pass (${pct(all, seed.entries.length)})`,
  );
}

function keywordsOnSeed(): void {
  const keywords = createKeywordClassifier(loadKeywordRules(join(DEFAULT_PROMPTS_DIR, 'keyword-rules.json')), vocabulary);
  const counts = new Map(vocabulary.names().map((tag) => [tag, { truePositive: 0, falsePositive: 0, falseNegative: 0 }]));
  for (const entry of tagged) {
    const truth = new Set(entry.tags.map((tag) => vocabulary.resolve(tag)).filter((tag): tag is string => tag !== null));
    const predicted = new Set(keywords.tagsFor(entry.title));
    for (const [tag, count] of counts) {
      if (predicted.has(tag) && truth.has(tag)) count.truePositive++;
      else if (predicted.has(tag)) count.falsePositive++;
      else if (truth.has(tag)) count.falseNegative++;
    }
  }
  const relevant = tagged.filter((entry) => keywords.classify({ id: entry.id, title: entry.title, abstract: '', categories: [] }).relevant).length;
  console.log(`\nkeyword fallback on the 226 tagged seed titles (title only, tags vs the seed's; relevance without categories: ${relevant} of 226):`);
  console.log('| tag | seed papers | precision | recall |');
  console.log('| --- | --- | --- | --- |');
  let total = { truePositive: 0, falsePositive: 0, falseNegative: 0 };
  for (const [tag, count] of counts) {
    total = {
      truePositive: total.truePositive + count.truePositive,
      falsePositive: total.falsePositive + count.falsePositive,
      falseNegative: total.falseNegative + count.falseNegative,
    };
    console.log(
      `| ${tag} | ${count.truePositive + count.falseNegative} | ${ratio(count.truePositive, count.truePositive + count.falsePositive)} | ${ratio(count.truePositive, count.truePositive + count.falseNegative)} |`,
    );
  }
  console.log(
    `| all (micro) | ${total.truePositive + total.falseNegative} | ${ratio(total.truePositive, total.truePositive + total.falsePositive)} | ${ratio(total.truePositive, total.truePositive + total.falseNegative)} |`,
  );
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

function ratio(part: number, whole: number): string {
  return whole === 0 ? '–' : (part / whole).toFixed(2);
}
