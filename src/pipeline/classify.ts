import type { Logger } from 'pino';
import { dayIn } from '../domain/calendar.ts';
import type { Classification, Paper } from '../domain/paper.ts';
import type { PromptCorrection } from '../llm/classify-prompt.ts';
import { KEYWORD_MODEL, type KeywordClassifier } from '../llm/keyword-classifier.ts';
import type { BatchOutcome, LlmClassifier } from '../llm/llm-classifier.ts';
import type { Prefilter } from '../llm/prefilter.ts';
import type { Verdict } from '../llm/verdict.ts';
import { isStopped } from '../stopping.ts';
import type { Cache } from '../store/cache.ts';
import { classifyTokensOn, papersToClassify } from '../store/classification-queue.ts';
import type { Database } from '../store/db.ts';
import { saveClassification } from '../store/papers.ts';
import { recordRun } from '../store/runs.ts';
import { type ClassifyTally, emptyTally, type RunBudget, startBudget } from './classify-budget.ts';
import { prepareClassifiers } from './prepare-classifiers.ts';

/** The model name stored with pre-filter verdicts. */
export const PREFILTER_MODEL = 'prefilter';

export type ClassifyDeps = {
  readonly db: Database;
  readonly log: Logger;
  readonly now: () => Date;
  /** The LLM verdict cache (Keyv namespace `llm`); opened on first use. */
  readonly cache: () => Cache;
  /** Null when no LLM is configured: the keyword classifier decides instead. */
  readonly llm: LlmClassifier | null;
  readonly keywords: KeywordClassifier;
  readonly prefilter: Prefilter;
  readonly batchSize: number;
  readonly concurrency: number;
  /** Prompt + completion tokens per day across runs; 0 means no cap. */
  readonly dailyTokenCap: number;
  /** Zone of the cap's day (DIGEST_TIMEZONE). */
  readonly timeZone: string;
  /** Most papers one run takes on; the rest wait for the next run. */
  readonly maxPapers: number;
  /** The process is stopping: no new batch starts; the batches cut short stay as they were. */
  readonly signal?: AbortSignal;
  /** The group's recent corrections for the LLM prompt, leaving out `exclude` (eval's own papers). */
  readonly corrections?: (exclude?: ReadonlySet<string>) => Promise<readonly PromptCorrection[]>;
};

export type ClassifyReport = ClassifyTally & {
  readonly status: 'ok' | 'empty' | 'failed';
  readonly classifier: string;
  readonly promptHash: string;
  readonly day: string;
  readonly tokensToday: number;
  readonly dailyTokenCap: number;
  readonly durationMs: number;
  readonly error: string | null;
};

/**
 * Gives every paper that needs one a verdict: pending and failed papers, and keyword verdicts once an
 * LLM is configured. High-volume categories pass the pre-filter first; cached LLM verdicts are reused;
 * the rest go to the LLM in batches, a few at a time, until done, the daily token cap, or the server
 * gives up — whatever is not reached stays as it was (pending or failed) for the next run.
 * The run is recorded with its counts and tokens.
 */
export async function classifyPending(configured: ClassifyDeps, options: { readonly limit?: number } = {}): Promise<ClassifyReport> {
  // The group's votes: corrections in the LLM prompt, or the offline filter retrained on them.
  const deps = await prepareClassifiers(configured);
  const started = deps.now();
  const day = dayIn(started, deps.timeZone);
  const tally = emptyTally();
  const classifier = deps.llm?.model ?? KEYWORD_MODEL;
  const promptHash = deps.llm?.promptHash ?? deps.keywords.hash;
  const tokensBefore = await classifyTokensOn(deps.db, day);
  let error: string | null = null;
  try {
    const candidates = await papersToClassify(deps.db, { replaceModels: deps.llm ? [KEYWORD_MODEL] : [], limit: options.limit ?? deps.maxPapers });
    tally.candidates = candidates.length;
    const toModel = await applyPrefilter(deps, candidates, tally);
    if (!deps.llm) await classifyWithKeywords(deps, toModel, tally);
    else error = await classifyWithLlm(deps, deps.llm, toModel, tally, startBudget(deps.dailyTokenCap, tokensBefore));
    error ??= failedPapers(tally);
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
    deps.log.error({ err: failure }, 'classification run failed');
  }
  const finished = deps.now();
  const status = error ? 'failed' : tally.candidates === 0 ? 'empty' : 'ok';
  const report: ClassifyReport = {
    ...tally,
    status,
    classifier,
    promptHash,
    day,
    tokensToday: tokensBefore + tally.totalTokens,
    dailyTokenCap: deps.dailyTokenCap,
    durationMs: finished.getTime() - started.getTime(),
    error,
  };
  await recordRun(deps.db, {
    kind: 'classify',
    day,
    source: classifier,
    status,
    startedAt: started,
    finishedAt: finished,
    counts: { fetched: tally.candidates, new: tally.classified, updated: 0, skipped: tally.deferred },
    stats: { ...tally, promptHash },
    error,
  });
  deps.log.info({ ...tally, status, classifier }, 'classification run finished');
  return report;
}

/**
 * Papers this run asked about and got no verdict for (garbage answers, answers outside the schema)
 * make the run failed: they stay `failed` in the archive and are asked about again next run, but a
 * run that left some behind must not read as ok (nor exit 0).
 */
function failedPapers(tally: ClassifyTally): string | null {
  if (tally.failed === 0) return null;
  return `${tally.failed} of ${tally.candidates} papers got no verdict (kept as failed, asked again next run)`;
}

/** Stores `irrelevant` for high-volume papers the keyword rule finds implausible; returns the rest. */
async function applyPrefilter(deps: ClassifyDeps, papers: readonly Paper[], tally: ClassifyTally): Promise<Paper[]> {
  const passed: Paper[] = [];
  const rejected: Paper[] = [];
  for (const paper of papers) (deps.prefilter.decide(paper).pass ? passed : rejected).push(paper);
  if (rejected.length === 0) return passed;
  await deps.db.transaction(async (tx) => {
    const now = deps.now().toISOString();
    for (const paper of rejected) {
      await saveClassification(tx, paper.id, done(paper, { relevant: false, tags: [], tldr: null }, PREFILTER_MODEL, deps.prefilter.hash), now);
    }
  });
  tally.prefiltered += rejected.length;
  tally.classified += rejected.length;
  return passed;
}

async function classifyWithKeywords(deps: ClassifyDeps, papers: readonly Paper[], tally: ClassifyTally): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.now().toISOString();
    for (const paper of papers) {
      const verdict = deps.keywords.classify(paper);
      await saveClassification(tx, paper.id, done(paper, verdict, KEYWORD_MODEL, deps.keywords.hash), now);
      if (verdict.relevant) tally.relevant++;
    }
  });
  tally.keywords += papers.length;
  tally.classified += papers.length;
}

/** Returns the reason the run stopped early because the server was unavailable, else null. */
async function classifyWithLlm(
  deps: ClassifyDeps,
  llm: LlmClassifier,
  papers: readonly Paper[],
  tally: ClassifyTally,
  budget: RunBudget,
): Promise<string | null> {
  const cache = deps.cache();
  const keyOf = (paper: Paper) => `${paper.id}:v${paper.version}:${llm.model}:${llm.promptHash}`;
  const uncached: Paper[] = [];
  const hits: { paper: Paper; verdict: Verdict }[] = [];
  for (const paper of papers) {
    const verdict = (await cache.get(keyOf(paper))) as Verdict | undefined;
    if (verdict) hits.push({ paper, verdict });
    else uncached.push(paper);
  }
  if (hits.length) {
    await deps.db.transaction(async (tx) => {
      const now = deps.now().toISOString();
      for (const { paper, verdict } of hits) await saveClassification(tx, paper.id, done(paper, verdict, llm.model, llm.promptHash), now);
    });
    tally.cached += hits.length;
    tally.classified += hits.length;
    tally.relevant += hits.filter((hit) => hit.verdict.relevant).length;
  }
  const batches = chunk(uncached, deps.batchSize);
  let next = 0;
  let unavailable: string | null = null;
  let stopped = false;
  const worker = async () => {
    while (next < batches.length && !unavailable && !stopped) {
      if (deps.signal?.aborted) {
        stopped = true;
        break;
      }
      const batch = batches[next] as Paper[];
      const estimate = llm.estimateTokens(batch);
      if (!budget.reserve(estimate)) {
        tally.budgetStopped = true;
        break;
      }
      next++;
      let outcome: BatchOutcome;
      try {
        outcome = await llm.classifyBatch(batch);
      } catch (error) {
        if (!isStopped(error)) throw error;
        // Cut short by a stop: the batch stays as it was (pending or failed) for the next run.
        stopped = true;
        budget.settle(estimate, 0);
        tally.deferred += batch.length;
        break;
      }
      budget.settle(estimate, outcome.usage.promptTokens + outcome.usage.completionTokens);
      await storeOutcome(deps, llm, batch, outcome, tally, (paper, verdict) => cache.set(keyOf(paper), verdict));
      unavailable ??= outcome.unavailable;
    }
  };
  // Every worker ends before the run is recorded, even when one fails: none writes after the run returns.
  const ended = await Promise.allSettled(Array.from({ length: Math.min(deps.concurrency, batches.length) }, worker));
  const crashed = ended.find((result) => result.status === 'rejected');
  if (crashed) throw crashed.reason;
  tally.deferred += batches.slice(next).reduce((sum, batch) => sum + batch.length, 0);
  if (tally.budgetStopped) deps.log.warn({ deferred: tally.deferred, cap: deps.dailyTokenCap }, 'daily token cap reached, the rest stays for the next run');
  if (stopped) return 'stopped: lmsys-papers is shutting down; the rest stays for the next run';
  return unavailable ? `LLM unavailable: ${unavailable}` : null;
}

async function storeOutcome(
  deps: ClassifyDeps,
  llm: LlmClassifier,
  batch: readonly Paper[],
  outcome: BatchOutcome,
  tally: ClassifyTally,
  remember: (paper: Paper, verdict: Verdict) => Promise<unknown>,
): Promise<void> {
  tally.requests += outcome.requests;
  tally.retries += outcome.retries;
  tally.reasked += outcome.reasked;
  tally.promptTokens += outcome.usage.promptTokens;
  tally.completionTokens += outcome.usage.completionTokens;
  tally.totalTokens += outcome.usage.promptTokens + outcome.usage.completionTokens;
  tally.correctedTags += outcome.corrections.correctedTags;
  tally.rejectedTags += outcome.corrections.rejectedTags.length;
  tally.duplicateAnswers += outcome.corrections.duplicateAnswers;
  await deps.db.transaction(async (tx) => {
    const now = deps.now().toISOString();
    for (const paper of batch) {
      const verdict = outcome.verdicts.get(paper.id);
      if (verdict) {
        await saveClassification(tx, paper.id, done(paper, verdict, llm.model, llm.promptHash), now);
        continue;
      }
      const reason = outcome.failures.get(paper.id) ?? 'no verdict (unexplained)';
      // The previous verdict, if any, stays visible; only status, reason and attempts change.
      await saveClassification(tx, paper.id, { ...paper.classification, status: 'failed', error: reason, attempts: paper.classification.attempts + 1 }, now);
      deps.log.warn({ paperId: paper.id, reason }, 'classification failed');
    }
  });
  for (const paper of batch) {
    const verdict = outcome.verdicts.get(paper.id);
    if (!verdict) continue;
    await remember(paper, verdict);
    tally.llm++;
    tally.classified++;
    if (verdict.relevant) tally.relevant++;
  }
  tally.failed += batch.length - [...batch].filter((paper) => outcome.verdicts.has(paper.id)).length;
}

function done(paper: Paper, verdict: Verdict, model: string, promptHash: string): Classification {
  return {
    status: 'done',
    relevant: verdict.relevant,
    tags: [...verdict.tags],
    tldr: verdict.tldr,
    model,
    promptHash,
    version: paper.version,
    error: null,
    attempts: paper.classification.attempts + 1,
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
