import { dayIn } from '../domain/calendar.ts';
import { type EvalMetrics, evaluate, type Judged } from '../domain/eval-metrics.ts';
import { type LabelledPaper, listingCategory } from '../domain/labelled-papers.ts';
import type { PaperRecord } from '../domain/paper.ts';
import { classifyTokensOn } from '../store/classification-queue.ts';
import { Database } from '../store/db.ts';
import { papersByIds, recordAnnouncement } from '../store/papers.ts';
import { recordRun } from '../store/runs.ts';
import { type ClassifyDeps, type ClassifyReport, classifyPending } from './classify.ts';

/** USD per million tokens; null when the deployment has not set a price. */
export type TokenPrices = { readonly inputPerMTok: number | null; readonly outputPerMTok: number | null };

export type EvalReport = {
  readonly classifier: string;
  readonly promptHash: string;
  /** Labelled papers evaluated, and those left without a verdict (LLM failures, the daily token cap). */
  readonly papers: number;
  readonly labelledRelevant: number;
  readonly unjudged: number;
  readonly metrics: EvalMetrics;
  readonly llm: {
    readonly requests: number;
    readonly cached: number;
    readonly promptTokens: number;
    readonly completionTokens: number;
    readonly totalTokens: number;
    /** null when a price is not set. */
    readonly costUsd: number | null;
  };
  readonly durationMs: number;
  readonly status: ClassifyReport['status'];
  readonly error: string | null;
};

export type EvalOptions = {
  /** The categories followed, in report order (ARXIV_CATEGORIES); other primaries are `other`. */
  readonly followed: readonly string[];
  readonly prices: TokenPrices;
};

/**
 * Runs the configured classifier over labelled papers through the same path as `classify`
 * (pre-filter, LLM cache, batches, token cap) and compares the verdicts with the labels.
 * It is a measurement: the papers go into a scratch in-memory archive, never the real one. What
 * it shares with the real deployment is what makes it honest and cheap: the LLM cache (a second
 * run asks nothing), the day's token spend (the daily cap holds across eval and classify) and the
 * offline filter as trained on the real archive — minus the papers measured, so that a model that
 * learned from a label is not credited for remembering it. Its LLM spend is recorded as an `eval` run.
 */
export async function evaluateLabels(deps: ClassifyDeps, labelled: readonly LabelledPaper[], options: EvalOptions): Promise<EvalReport> {
  const started = deps.now();
  const day = dayIn(started, deps.timeZone);
  const scratch = await Database.open('sqlite://:memory:');
  try {
    await seedScratch(scratch, labelled, options.followed, started.toISOString(), await classifyTokensOn(deps.db, day), day, started);
    // Nothing learned from the labels measured: the filter's model and the prompt's corrections leave them out.
    const ids = new Set(labelled.map((paper) => paper.id));
    const { corrections } = deps;
    const measured: ClassifyDeps = {
      ...deps,
      db: scratch,
      log: deps.log.child({ eval: true }),
      keywords: deps.keywords.excluding?.(ids) ?? deps.keywords,
      corrections: corrections ? () => corrections(ids) : undefined,
    };
    const report = await classifyPending(measured, { limit: labelled.length });
    const verdicts = new Map(
      (
        await papersByIds(
          scratch,
          labelled.map((paper) => paper.id),
        )
      ).map((paper) => [paper.id, paper] as const),
    );
    const judged: Judged[] = [];
    for (const label of labelled) {
      const paper = verdicts.get(label.id);
      if (paper?.classification.status !== 'done' || paper.classification.relevant === null) continue;
      judged.push({
        id: label.id,
        title: label.title,
        category: listingCategory(label, options.followed),
        label: { relevant: label.relevant, tags: label.tags },
        verdict: {
          relevant: paper.classification.relevant,
          tags: paper.classification.tags,
          score: deps.llm ? null : measured.keywords.score(paper),
        },
      });
    }
    const finished = deps.now();
    const costUsd = cost(report.promptTokens, report.completionTokens, options.prices);
    if (report.requests > 0) {
      await recordRun(deps.db, {
        kind: 'eval',
        day,
        source: report.classifier,
        status: report.status,
        startedAt: started,
        finishedAt: finished,
        counts: { fetched: labelled.length, new: judged.length, skipped: labelled.length - judged.length },
        stats: { requests: report.requests, cached: report.cached, totalTokens: report.totalTokens, promptTokens: report.promptTokens, costUsd },
        error: report.error,
      });
    }
    return {
      classifier: report.classifier,
      promptHash: report.promptHash,
      papers: labelled.length,
      labelledRelevant: labelled.filter((paper) => paper.relevant).length,
      unjudged: labelled.length - judged.length,
      metrics: evaluate(judged, [...options.followed, 'other']),
      llm: {
        requests: report.requests,
        cached: report.cached,
        promptTokens: report.promptTokens,
        completionTokens: report.completionTokens,
        totalTokens: report.totalTokens,
        costUsd,
      },
      durationMs: finished.getTime() - started.getTime(),
      status: report.status,
      error: report.error,
    };
  } finally {
    await scratch.close();
  }
}

/**
 * The labelled papers as pending announcements, plus one run that carries what the real archive
 * already spent today, so the daily token cap counts both.
 */
async function seedScratch(
  scratch: Database,
  labelled: readonly LabelledPaper[],
  followed: readonly string[],
  now: string,
  tokensToday: number,
  day: string,
  started: Date,
): Promise<void> {
  await scratch.transaction(async (tx) => {
    for (const label of labelled) {
      const type = label.primaryCategory && followed.includes(label.primaryCategory) ? 'new' : 'cross';
      await recordAnnouncement(tx, label.day ?? day, { paper: toRecord(label), type }, 'eval', now);
    }
    if (tokensToday > 0) {
      await recordRun(tx, {
        kind: 'classify',
        day,
        source: 'spent in the archive',
        status: 'ok',
        startedAt: started,
        finishedAt: started,
        stats: { totalTokens: tokensToday },
      });
    }
  });
}

function toRecord(label: LabelledPaper): PaperRecord {
  return {
    id: label.id,
    version: label.version,
    title: label.title,
    abstract: label.abstract,
    authors: [],
    categories: label.categories,
    primaryCategory: label.primaryCategory,
    comment: null,
    journalRef: null,
    doi: null,
    submittedAt: null,
    updatedAt: null,
  };
}

export function cost(promptTokens: number, completionTokens: number, prices: TokenPrices): number | null {
  if (promptTokens + completionTokens === 0) return 0;
  if (prices.inputPerMTok === null || prices.outputPerMTok === null) return null;
  return (promptTokens * prices.inputPerMTok + completionTokens * prices.outputPerMTok) / 1_000_000;
}
