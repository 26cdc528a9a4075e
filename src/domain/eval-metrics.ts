/** Precision, recall and F1 of a filter against labels: pure arithmetic, no I/O. */

export type Confusion = { tp: number; fp: number; fn: number; tn: number };

export type Scores = Confusion & {
  readonly papers: number;
  /** null when undefined (nothing predicted relevant, nothing labelled relevant). */
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
};

export type TagScores = {
  readonly tag: string;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number | null;
  readonly recall: number | null;
};

export type Mistake = { readonly id: string; readonly title: string; readonly category: string; readonly score: number | null };

export type EvalMetrics = {
  readonly relevance: Scores;
  readonly byCategory: readonly (Scores & { readonly category: string })[];
  /** Null when no paper both sides call relevant carries label tags (votes have none). */
  readonly tags: {
    readonly papers: number;
    readonly perTag: readonly TagScores[];
    readonly micro: { readonly precision: number | null; readonly recall: number | null; readonly f1: number | null };
  } | null;
  readonly falsePositives: readonly Mistake[];
  readonly falseNegatives: readonly Mistake[];
};

export type Judged = {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly label: { readonly relevant: boolean; readonly tags: readonly string[] };
  readonly verdict: { readonly relevant: boolean; readonly tags: readonly string[]; readonly score?: number | null };
};

const MISTAKES_SHOWN = 10;

export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function f1(precision: number | null, recall: number | null): number | null {
  if (precision === null || recall === null) return null;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export function scoresOf(confusion: Confusion): Scores {
  const precision = ratio(confusion.tp, confusion.tp + confusion.fp);
  const recall = ratio(confusion.tp, confusion.tp + confusion.fn);
  return { ...confusion, papers: confusion.tp + confusion.fp + confusion.fn + confusion.tn, precision, recall, f1: f1(precision, recall) };
}

export function confusionOf(judged: readonly Pick<Judged, 'label' | 'verdict'>[]): Confusion {
  const counts: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const { label, verdict } of judged) {
    if (verdict.relevant) counts[label.relevant ? 'tp' : 'fp']++;
    else counts[label.relevant ? 'fn' : 'tn']++;
  }
  return counts;
}

/**
 * Everything `eval` reports about verdicts against labels. Categories are listed in `categoryOrder`
 * first, then any others. The worst mistakes come first when verdicts carry a score (a confident
 * false positive is worse than a hesitant one), else in label order.
 */
export function evaluate(judged: readonly Judged[], categoryOrder: readonly string[] = []): EvalMetrics {
  const categories = [...new Set([...categoryOrder, ...judged.map((item) => item.category)])].filter((category) =>
    judged.some((item) => item.category === category),
  );
  const byCategory = categories.map((category) => ({ category, ...scoresOf(confusionOf(judged.filter((item) => item.category === category))) }));
  const mistake = (item: Judged): Mistake => ({ id: item.id, title: item.title, category: item.category, score: item.verdict.score ?? null });
  const falsePositives = judged.filter((item) => item.verdict.relevant && !item.label.relevant).map(mistake);
  const falseNegatives = judged.filter((item) => !item.verdict.relevant && item.label.relevant).map(mistake);
  falsePositives.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  falseNegatives.sort((a, b) => (a.score ?? 0) - (b.score ?? 0));
  return {
    relevance: scoresOf(confusionOf(judged)),
    byCategory,
    tags: tagScores(judged),
    falsePositives: falsePositives.slice(0, MISTAKES_SHOWN),
    falseNegatives: falseNegatives.slice(0, MISTAKES_SHOWN),
  };
}

function tagScores(judged: readonly Judged[]): EvalMetrics['tags'] {
  const both = judged.filter((item) => item.label.relevant && item.verdict.relevant && item.label.tags.length > 0);
  if (both.length === 0) return null;
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (tag: string) => {
    const entry = counts.get(tag) ?? { tp: 0, fp: 0, fn: 0 };
    counts.set(tag, entry);
    return entry;
  };
  for (const { label, verdict } of both) {
    for (const tag of new Set(verdict.tags)) count(tag)[label.tags.includes(tag) ? 'tp' : 'fp']++;
    for (const tag of new Set(label.tags)) if (!verdict.tags.includes(tag)) count(tag).fn++;
  }
  const perTag = [...counts]
    .map(([tag, { tp, fp, fn }]) => ({ tag, tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) }))
    .sort((a, b) => b.tp + b.fn - (a.tp + a.fn) || a.tag.localeCompare(b.tag));
  const total = perTag.reduce((sum, tag) => ({ tp: sum.tp + tag.tp, fp: sum.fp + tag.fp, fn: sum.fn + tag.fn }), { tp: 0, fp: 0, fn: 0 });
  const precision = ratio(total.tp, total.tp + total.fp);
  const recall = ratio(total.tp, total.tp + total.fn);
  return { papers: both.length, perTag, micro: { precision, recall, f1: f1(precision, recall) } };
}
