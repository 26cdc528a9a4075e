import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { App } from '../src/app.ts';
import { type EvalMetrics, evaluate, type Judged } from '../src/domain/eval-metrics.ts';
import { type LabelledPaper, listingCategory, parseLabelledPapers } from '../src/domain/labelled-papers.ts';
import { logOdds } from '../src/domain/linear-model.ts';
import { createVocabulary } from '../src/domain/tags.ts';
import { textFeatures } from '../src/domain/text-features.ts';
import type { RuleClassifier } from '../src/llm/keyword-classifier.ts';
import type { PaperText } from '../src/llm/verdict.ts';
import { parseReadme } from '../src/markdown/parse-readme.ts';
import { recordVote } from '../src/pipeline/apply-vote.ts';
import { classifyPending } from '../src/pipeline/classify.ts';
import { type EvalReport, evaluateLabels } from '../src/pipeline/evaluate-labels.ts';
import { LABEL_WEIGHTS, trainFilterModel } from '../src/pipeline/train-filter.ts';
import { recordAnnouncement } from '../src/store/papers.ts';
import type { LabelledText } from '../src/store/training-labels.ts';
import { FakeOpenAi, type FakePaper } from '../test/fakes/openai-server.ts';
import { openTestApp } from '../test/helpers/test-app.ts';
import { createBaselineClassifier } from './baseline/keyword-classifier-961af4a.ts';
import type { Benchmark } from './run.ts';

const FOLLOWED = ['cs.DC', 'cs.OS', 'cs.LG'];
const CATEGORIES = [...FOLLOWED, 'other'];
/** gpt-4o-mini's list prices (USD per million tokens), only to show what a cost line looks like. */
const PRICES = { inputPerMTok: 0.15, outputPerMTok: 0.6 };
const vocabulary = createVocabulary();

const load = (name: string) => parseLabelledPapers(readFileSync(new URL(`../test/fixtures/eval/${name}`, import.meta.url), 'utf8'), vocabulary).papers;
const dev = load('labelled-dev.jsonl');
const afterCutoff = load('labelled-dev-after-cutoff.jsonl');
/** The days split in two by a hash of the day: rules were tuned looking at A's mistakes only; B is reported. */
const half = (paper: LabelledPaper) =>
  BigInt(
    `0x${createHash('md5')
      .update(paper.day ?? '')
      .digest('hex')}`,
  ) %
    2n ===
  0n
    ? 'A'
    : 'B';
const fixed = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? '–' : value.toFixed(digits));

export const evalBench: Benchmark = {
  name: 'eval',
  summary:
    'the filter on the labelled days (before/after, by category, held-out half), the LLM path against the fake, and a group correcting the filter with votes',
  async run() {
    const app = await openTestApp();
    try {
      await offlineBeforeAfter(app);
      await simulatedGroup(app.classify.keywords);
    } finally {
      await app.close();
    }
    await llmCost();
  },
};

async function offlineBeforeAfter(app: App): Promise<void> {
  const baseline = createBaselineClassifier(vocabulary, ['cs.DC', 'cs.OS']);
  const before = (papers: readonly LabelledPaper[]) =>
    evaluate(
      papers.map((paper) => judged(paper, baseline(paper))),
      CATEGORIES,
    );
  const after = async (papers: readonly LabelledPaper[]) => (await evaluateLabels(app.classify, papers, { followed: FOLLOWED, prices: PRICES })).metrics;
  const started = performance.now();
  const afterAll = await after(dev);
  const elapsed = performance.now() - started;
  const beforeAll = before(dev);
  console.log(`\noffline filter on the ${dev.length} labelled papers of 54 days (216 relevant); "after" through \`eval\` (${(elapsed / 1000).toFixed(1)} s):`);
  console.log('| set | papers (relevant) | before: P | R | F1 | after: P | R | F1 |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const row = (name: string, b: EvalMetrics['relevance'], a: EvalMetrics['relevance']) =>
    console.log(
      `| ${name} | ${a.papers} (${a.tp + a.fn}) | ${fixed(b.precision)} | ${fixed(b.recall)} | ${fixed(b.f1)} | ${fixed(a.precision)} | ${fixed(a.recall)} | ${fixed(a.f1)} |`,
    );
  row('all', beforeAll.relevance, afterAll.relevance);
  for (const category of CATEGORIES) {
    const b = beforeAll.byCategory.find((scores) => scores.category === category);
    const a = afterAll.byCategory.find((scores) => scores.category === category);
    if (a && b) row(category, b, a);
  }
  for (const part of ['A', 'B'] as const) {
    const papers = dev.filter((paper) => half(paper) === part);
    row(part === 'A' ? 'half A (days the rules were tuned on)' : 'half B (held-out days)', before(papers).relevance, (await after(papers)).relevance);
  }
  row('after-cutoff papers (labels unusable, 8 relevant)', before(afterCutoff).relevance, (await after(afterCutoff)).relevance);
  console.log(
    `\ntags on papers both call relevant: before micro P ${fixed(beforeAll.tags?.micro.precision)} R ${fixed(beforeAll.tags?.micro.recall)}; after micro P ${fixed(afterAll.tags?.micro.precision)} R ${fixed(afterAll.tags?.micro.recall)} (${afterAll.tags?.papers} papers)`,
  );
  console.log('| tag | labelled | after: P | R |');
  console.log('| --- | --- | --- | --- |');
  for (const tag of afterAll.tags?.perTag ?? []) console.log(`| ${tag.tag} | ${tag.tp + tag.fn} | ${fixed(tag.precision, 2)} | ${fixed(tag.recall, 2)} |`);
}

function judged(paper: LabelledPaper, verdict: { relevant: boolean; tags: readonly string[] }): Judged {
  return { id: paper.id, title: paper.title, category: listingCategory(paper, FOLLOWED), label: { relevant: paper.relevant, tags: paper.tags }, verdict };
}

/**
 * The LLM path (pre-filter, cache, batches of 8, 4 in flight) against the fake OpenAI server,
 * answering as the labels say (so the answers have realistic lengths). Cost per labelled day.
 */
async function llmCost(): Promise<void> {
  const fake = await FakeOpenAi.start();
  const labels = new Map(dev.map((paper) => [paper.id, paper]));
  fake.answer = (paper: FakePaper) => {
    const label = labels.get(paper.id);
    if (!label?.relevant) return { relevant: false, tags: [], tldr: null };
    return {
      relevant: true,
      tags: label.tags.length ? [...label.tags] : ['serving'],
      tldr: `${label.title.slice(0, 120)}: a system that schedules and places work across GPUs, reaching 2.1x higher throughput and 35% lower tail latency than the state of the art.`,
    };
  };
  const app = await openTestApp({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'fake-model', LLM_DAILY_TOKEN_CAP: '0' });
  try {
    const run = (papers: readonly LabelledPaper[]) => evaluateLabels(app.classify, papers, { followed: FOLLOWED, prices: PRICES });
    const days = [...new Set(dev.map((paper) => paper.day ?? ''))];
    const perDay: EvalReport[] = [];
    for (const day of days) perDay.push(await run(dev.filter((paper) => paper.day === day)));
    const again = await run(dev);
    const total = (pick: (report: EvalReport) => number) => perDay.reduce((sum, report) => sum + pick(report), 0);
    const max = (pick: (report: EvalReport) => number) => Math.max(...perDay.map(pick));
    console.log(
      `\n\`eval\` with an LLM (the fake OpenAI server), ${dev.length} papers of ${days.length} days, batches of 8; prices $0.15 / $0.60 per M tokens (illustrative):`,
    );
    console.log('| per labelled day | requests | prompt tokens | completion tokens | cost (USD) |');
    console.log('| --- | --- | --- | --- | --- |');
    const line = (name: string, f: (pick: (report: EvalReport) => number) => number) =>
      console.log(
        `| ${name} | ${fixed(
          f((r) => r.llm.requests),
          1,
        )} | ${Math.round(f((r) => r.llm.promptTokens))} | ${Math.round(f((r) => r.llm.completionTokens))} | ${fixed(
          f((r) => r.llm.costUsd ?? 0),
          5,
        )} |`,
      );
    line('mean', (pick) => total(pick) / days.length);
    line('max', max);
    line(`all ${days.length} days`, total);
    console.log(
      `| all days again (cache) | ${again.llm.requests} | ${again.llm.promptTokens} | ${again.llm.completionTokens} | ${fixed(again.llm.costUsd, 5)} |`,
    );
    const plain = perDay[days.indexOf('2026-06-02')];
    await withCorrections(app, fake, plain);
  } finally {
    await app.close();
    await fake.close();
  }
}

/** What 4 corrections in the prompt cost: the group disagrees with the LLM on 4 papers of the archive. */
async function withCorrections(app: App, fake: FakeOpenAi, plain: EvalReport | undefined): Promise<void> {
  const disputed = dev.filter((paper) => paper.day === '2025-12-30').slice(0, 4);
  await app.db.transaction(async (tx) => {
    for (const paper of disputed) {
      const record = { ...paper, authors: [], comment: null, journalRef: null, doi: null, submittedAt: null, updatedAt: null };
      await recordAnnouncement(tx, paper.day ?? '2025-12-30', { paper: record, type: 'new' }, 'bench', new Date().toISOString());
    }
  });
  await classifyPending(app.classify);
  for (const paper of disputed) {
    await recordVote(
      { db: app.db, now: () => new Date(), tagsFor: app.classify.keywords.tagsFor },
      { platform: 'slack', userId: 'U1', paperId: paper.id, value: paper.relevant ? 'not-relevant' : 'relevant', source: 'digest' },
    );
  }
  const day = dev.filter((paper) => paper.day === '2026-06-02');
  const before = fake.requests.length;
  const report = await evaluateLabels(app.classify, day, { followed: FOLLOWED, prices: PRICES });
  const sent = fake.requests.slice(before);
  const systemChars = sent[0]?.body.messages?.[0]?.content.length ?? 0;
  const perRequest = (tokens: number, requests: number) => Math.round(tokens / Math.max(requests, 1));
  console.log(
    `\nday 2026-06-02 (${day.length} papers) with 4 corrections in the prompt (a new prompt hash, so it is asked again): ${report.llm.requests} requests, ${report.llm.promptTokens} prompt tokens, ${perRequest(report.llm.promptTokens, report.llm.requests)} per request (system prompt ${systemChars} chars); without: ${plain?.llm.requests} requests, ${plain?.llm.promptTokens} prompt tokens, ${perRequest(plain?.llm.promptTokens ?? 0, plain?.llm.requests ?? 0)} per request`,
  );
}

type Pattern = 'digest' | 'random';

/**
 * A group corrects the offline filter: it votes (with the labels) on papers of some days — either
 * on what the digest showed it (the filter's relevant papers) or on any paper of the day — and the
 * filter is measured on the days nobody voted on. Five orders of the days, averaged.
 */
async function simulatedGroup(filter: Pick<RuleClassifier, 'score'>): Promise<void> {
  // A fresh archive: no labels, so the filter's score is the rules' score.
  const rulesScore = new Map(dev.map((paper) => [paper.id, filter.score(paper)]));
  const features = new Map(dev.map((paper) => [paper.id, textFeatures(paper.title, paper.abstract)]));
  const rules = { score: (paper: PaperText) => rulesScore.get(paper.id) ?? filter.score(paper) };
  const days = [...new Set(dev.map((paper) => paper.day ?? ''))].sort();
  const seed = parseReadme(readFileSync(new URL('../test/fixtures/seed-readme.md', import.meta.url), 'utf8'));
  const devIds = new Set(dev.map((paper) => paper.id));
  const imports: LabelledText[] = [...new Map(seed.entries.filter((entry) => !devIds.has(entry.id)).map((entry) => [entry.id, entry])).values()].map(
    (entry) => ({ id: entry.id, title: entry.title, body: entry.tldr ?? '', relevant: true, source: 'import' }),
  );
  console.log('\na group votes with the labels on papers of some days; precision / recall on the days nobody voted on (5 day orders, pooled):');
  console.log('| votes | votes on | rules alone: P | R | rules + votes model: P | R | retrain (ms) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const pattern of ['digest', 'random'] as Pattern[]) {
    for (const count of [20, 50, 100]) {
      const pooled = { rules: { tp: 0, fp: 0, fn: 0 }, model: { tp: 0, fp: 0, fn: 0 } };
      let trainMs = 0;
      for (let order = 1; order <= 5; order++) {
        const { voted, votedDays } = castVotes(days, count, pattern, order, rulesScore);
        const started = performance.now();
        const model = trainFilterModel(rules, voted);
        trainMs += performance.now() - started;
        for (const paper of dev) {
          if (votedDays.has(paper.day ?? '')) continue;
          const base = rulesScore.get(paper.id) ?? 0;
          tally(pooled.rules, base >= 0, paper.relevant);
          tally(pooled.model, base + (model ? logOdds(model, features.get(paper.id) ?? new Map()) : 0) >= 0, paper.relevant);
        }
      }
      const p = (c: { tp: number; fp: number }) => fixed(c.tp / (c.tp + c.fp));
      const r = (c: { tp: number; fn: number }) => fixed(c.tp / (c.tp + c.fn));
      console.log(
        `| ${count} | ${pattern === 'digest' ? 'papers the digest showed' : 'any paper of the day'} | ${p(pooled.rules)} | ${r(pooled.rules)} | ${p(pooled.model)} | ${r(pooled.model)} | ${fixed(trainMs / 5, 1)} |`,
      );
    }
  }
  // Why imported papers do not teach the model (LABEL_WEIGHTS.import = 0): the same 100 votes plus the archive.
  const { voted, votedDays } = castVotes(days, 100, 'random', 1, rulesScore);
  const withImports = trainFilterModel(rules, [...voted, ...imports.map((text) => ({ ...text, source: 'votes' as const }))]);
  const counts = { tp: 0, fp: 0, fn: 0 };
  for (const paper of dev) {
    if (votedDays.has(paper.day ?? '')) continue;
    tally(counts, (rulesScore.get(paper.id) ?? 0) + (withImports ? logOdds(withImports, features.get(paper.id) ?? new Map()) : 0) >= 0, paper.relevant);
  }
  console.log(
    `\n100 votes + the ${imports.length} imported README papers (title + TL;DR, those on labelled days left out) as positives: P ${fixed(counts.tp / (counts.tp + counts.fp))} R ${fixed(counts.tp / (counts.tp + counts.fn))} — the model learns what a TL;DR looks like, so imports weigh ${LABEL_WEIGHTS.import}.`,
  );
}

function castVotes(days: readonly string[], count: number, pattern: Pattern, order: number, rulesScore: ReadonlyMap<string, number>) {
  let state = order * 7919;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const shuffled = [...days].sort(() => random() - 0.5);
  const voted: LabelledText[] = [];
  const votedDays = new Set<string>();
  for (const day of shuffled) {
    if (voted.length >= count) break;
    votedDays.add(day);
    const shown = dev.filter((paper) => paper.day === day && (pattern === 'random' || (rulesScore.get(paper.id) ?? 0) >= 0));
    for (const paper of shown) {
      if (voted.length >= count) break;
      voted.push({ id: paper.id, title: paper.title, body: paper.abstract, relevant: paper.relevant, source: 'votes' });
    }
  }
  return { voted, votedDays };
}

function tally(counts: { tp: number; fp: number; fn: number }, predicted: boolean, relevant: boolean): void {
  if (predicted && relevant) counts.tp++;
  else if (predicted) counts.fp++;
  else if (relevant) counts.fn++;
}
