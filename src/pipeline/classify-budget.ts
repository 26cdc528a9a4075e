/** What a classification run did, stored in the run's stats. */
export type ClassifyTally = {
  candidates: number;
  /** Papers given a verdict this run (by any means). */
  classified: number;
  relevant: number;
  prefiltered: number;
  cached: number;
  llm: number;
  keywords: number;
  failed: number;
  /** Left for the next run by the daily token cap. */
  deferred: number;
  budgetStopped: boolean;
  requests: number;
  retries: number;
  reasked: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  correctedTags: number;
  rejectedTags: number;
  duplicateAnswers: number;
};

export function emptyTally(): ClassifyTally {
  return {
    candidates: 0,
    classified: 0,
    relevant: 0,
    prefiltered: 0,
    cached: 0,
    llm: 0,
    keywords: 0,
    failed: 0,
    deferred: 0,
    budgetStopped: false,
    requests: 0,
    retries: 0,
    reasked: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    correctedTags: 0,
    rejectedTags: 0,
    duplicateAnswers: 0,
  };
}

/**
 * The daily token cap as seen by one run. A batch reserves its estimated cost before it starts, so
 * batches in flight at the same time cannot together overshoot the cap; the actual cost replaces
 * the estimate when the batch returns.
 */
export type RunBudget = {
  reserve(estimate: number): boolean;
  settle(estimate: number, actual: number): void;
};

export function startBudget(dailyCap: number, spentToday: number): RunBudget {
  let committed = spentToday;
  return {
    reserve(estimate) {
      if (dailyCap > 0 && committed + estimate > dailyCap) return false;
      committed += estimate;
      return true;
    },
    settle(estimate, actual) {
      committed += actual - estimate;
    },
  };
}
