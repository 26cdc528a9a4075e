import type { Logger } from 'pino';
import { dayIn } from '../domain/calendar.ts';
import type { Embedder } from '../llm/embedder.ts';
import { embeddingText } from '../llm/embedding-text.ts';
import { isStopped } from '../stopping.ts';
import { classifyTokensOn } from '../store/classification-queue.ts';
import type { Database } from '../store/db.ts';
import { type PaperToEmbed, papersToEmbed, saveEmbeddings } from '../store/embeddings.ts';
import { recordRun } from '../store/runs.ts';
import { type RunBudget, startBudget } from './classify-budget.ts';

export type EmbedDeps = {
  readonly db: Database;
  readonly log: Logger;
  readonly now: () => Date;
  readonly embedder: Embedder;
  /** LLM_DAILY_TOKEN_CAP: classification and embeddings share it. 0 = no cap. */
  readonly dailyTokenCap: number;
  /** Zone of the cap's day (DIGEST_TIMEZONE). */
  readonly timeZone: string;
  /** Most papers one run embeds (LLM_MAX_PAPERS_PER_RUN); the rest wait for the next run. */
  readonly maxPapers: number;
};

export type EmbedProgress = { readonly embedded: number; readonly tokens: number };

export type EmbedReport = {
  readonly status: 'ok' | 'empty' | 'failed';
  readonly space: string;
  readonly day: string;
  readonly candidates: number;
  readonly embedded: number;
  /** Left for the next run by the daily token cap. */
  readonly deferred: number;
  readonly budgetStopped: boolean;
  readonly requests: number;
  readonly retries: number;
  readonly totalTokens: number;
  readonly tokensToday: number;
  readonly dailyTokenCap: number;
  readonly durationMs: number;
  readonly error: string | null;
};

type Tally = { candidates: number; embedded: number; deferred: number; budgetStopped: boolean; requests: number; retries: number; totalTokens: number };

/** Candidates read at a time: a backfill of 100,000 papers never holds their texts all at once. */
const CANDIDATES_PER_ROUND = 1024;

/**
 * Gives relevant papers without one a vector, newest first, a batch per request, until done (or
 * `limit` papers), the daily token cap (shared with classification: a batch reserves its estimate
 * first), or the server gives up; the rest waits for the next run. Recorded as one `embed` run
 * with its tokens, which the cap then counts. `onProgress` hears after every stored batch.
 */
export async function embedPending(
  deps: EmbedDeps,
  options: { readonly limit?: number; readonly onProgress?: (progress: EmbedProgress) => void } = {},
): Promise<EmbedReport> {
  const limit = options.limit ?? deps.maxPapers;
  let taken = 0;
  // Each round's papers get a vector or stop the run, so the next round reads the next ones.
  const next = async () => {
    const round = await papersToEmbed(deps.db, deps.embedder.space, Math.min(CANDIDATES_PER_ROUND, limit - taken));
    taken += round.length;
    return round;
  };
  return runEmbedding(deps, 'pending', next, options.onProgress);
}

/**
 * Embeds `papers` (the paper a `/papers like:` asks about, when it has no vector yet), under the
 * same cap and record; whether it worked is in the report (`embedded`).
 */
export async function embedPapers(deps: EmbedDeps, papers: readonly PaperToEmbed[], source: string): Promise<EmbedReport> {
  let given = false;
  return runEmbedding(deps, source, async () => {
    if (given) return [];
    given = true;
    return [...papers];
  });
}

async function runEmbedding(
  deps: EmbedDeps,
  source: string,
  next: () => Promise<PaperToEmbed[]>,
  onProgress?: (progress: EmbedProgress) => void,
): Promise<EmbedReport> {
  const started = deps.now();
  const day = dayIn(started, deps.timeZone);
  const tokensBefore = await classifyTokensOn(deps.db, day);
  const tally: Tally = { candidates: 0, embedded: 0, deferred: 0, budgetStopped: false, requests: 0, retries: 0, totalTokens: 0 };
  const budget = startBudget(deps.dailyTokenCap, tokensBefore);
  let error: string | null = null;
  try {
    for (let papers = await next(); papers.length > 0 && !error && !tally.budgetStopped; papers = await next()) {
      tally.candidates += papers.length;
      error = await embedBatches(deps, papers, tally, budget, onProgress);
    }
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
    // A stop is no failure of the run's: the rest waits for the next run, as classification's does.
    if (!isStopped(failure)) deps.log.error({ err: failure }, 'embedding run failed');
  }
  const finished = deps.now();
  const status = error ? 'failed' : tally.candidates === 0 ? 'empty' : 'ok';
  const space = deps.embedder.space;
  if (tally.candidates > 0) {
    await recordRun(deps.db, {
      kind: 'embed',
      day,
      source,
      status,
      startedAt: started,
      finishedAt: finished,
      counts: { fetched: tally.candidates, new: tally.embedded, updated: 0, skipped: tally.deferred },
      stats: { ...tally, space },
      error,
    });
    deps.log.info({ ...tally, status, space, source }, 'embedding run finished');
  }
  return {
    ...tally,
    status,
    space,
    day,
    tokensToday: tokensBefore + tally.totalTokens,
    dailyTokenCap: deps.dailyTokenCap,
    durationMs: finished.getTime() - started.getTime(),
    error,
  };
}

/** Returns why the run stopped early (the server unavailable), else null. */
async function embedBatches(
  deps: EmbedDeps,
  papers: readonly PaperToEmbed[],
  tally: Tally,
  budget: RunBudget,
  onProgress?: (progress: EmbedProgress) => void,
): Promise<string | null> {
  const { embedder } = deps;
  for (let start = 0; start < papers.length; start += embedder.batchSize) {
    const batch = papers.slice(start, start + embedder.batchSize);
    const texts = batch.map(embeddingText);
    const estimate = embedder.estimateTokens(texts);
    if (!budget.reserve(estimate)) {
      tally.budgetStopped = true;
      tally.deferred += papers.length - start;
      deps.log.warn({ deferred: tally.deferred, cap: deps.dailyTokenCap }, 'daily token cap reached, the rest waits for the next run');
      return null;
    }
    const outcome = await embedder.embed(texts);
    budget.settle(estimate, outcome.tokens);
    tally.requests += outcome.requests;
    tally.retries += outcome.retries;
    tally.totalTokens += outcome.tokens;
    if (outcome.unavailable) {
      tally.deferred += papers.length - start;
      return `embeddings unavailable: ${outcome.unavailable}`;
    }
    const perPaper = Math.round(outcome.tokens / batch.length);
    await deps.db.transaction((tx) =>
      saveEmbeddings(
        tx,
        embedder.space,
        batch.map((paper, index) => ({ paperId: paper.id, vector: outcome.vectors[index] as Float32Array, tokens: perPaper })),
        deps.now().toISOString(),
      ),
    );
    tally.embedded += batch.length;
    onProgress?.({ embedded: tally.embedded, tokens: tally.totalTokens });
  }
  return null;
}
