import { confusionOf, type Scores, scoresOf } from '../domain/eval-metrics.ts';
import type { Paper } from '../domain/paper.ts';
import type { Queryable } from './db.ts';
import { PAPER_COLUMNS, type PaperRow, toPaper } from './paper-rows.ts';
import { NON_LLM_MODELS } from './training-labels.ts';

/**
 * The group's labels next to what the classifier said: for `status` (precision on the group's
 * labels), `eval` without a label file, and the corrections an LLM prompt carries.
 */
export type LabelledVerdict = {
  readonly paper: Paper;
  readonly label: boolean;
  /** The classifier's verdict before the group's votes replaced it; null when it never judged the paper. */
  readonly verdict: { readonly model: string; readonly relevant: boolean } | null;
  readonly labelledAt: string;
};

const LABELLED_FROM = 'paper_labels l JOIN papers p ON p.id = l.paper_id LEFT JOIN classifications c ON c.paper_id = p.id';

type Row = PaperRow & { label: number; verdict_model: string | null; verdict_relevant: number | null; labelled_at: string };

/** The classifier's own verdict: the live one, or (for a paper the group brought in) the one it replaced. */
const VERDICT = `CASE WHEN c.model = 'votes' OR c.status IS NOT 'done' THEN l.filter_model ELSE c.model END AS verdict_model,
  CASE WHEN c.model = 'votes' OR c.status IS NOT 'done' THEN l.filter_relevant ELSE c.relevant END AS verdict_relevant`;

export async function labelledVerdicts(q: Queryable, options: { readonly limit?: number } = {}): Promise<LabelledVerdict[]> {
  const rows = await q.all<Row>(
    `SELECT ${PAPER_COLUMNS}, l.label, l.updated_at AS labelled_at, ${VERDICT}
     FROM ${LABELLED_FROM} WHERE l.label IS NOT NULL ORDER BY l.updated_at DESC, p.id LIMIT ?`,
    [options.limit ?? -1],
  );
  return rows.map(toLabelledVerdict);
}

/**
 * Papers where an LLM and the group disagree (kept but marked not relevant, or dropped and marked
 * relevant), most recent label first, alternating the two kinds so neither crowds out the other.
 */
export async function recentCorrections(q: Queryable, options: { readonly limit: number; readonly exclude?: ReadonlySet<string> }): Promise<LabelledVerdict[]> {
  if (options.limit <= 0) return [];
  const marks = NON_LLM_MODELS.map(() => '?').join(', ');
  const rows = await q.all<Row>(
    `SELECT * FROM (SELECT ${PAPER_COLUMNS}, l.label, l.updated_at AS labelled_at, ${VERDICT}
       FROM ${LABELLED_FROM} WHERE l.label IS NOT NULL)
     WHERE verdict_model IS NOT NULL AND verdict_model NOT IN (${marks}) AND verdict_relevant IS NOT label
     ORDER BY labelled_at DESC, id LIMIT ?`,
    [...NON_LLM_MODELS, options.limit * 4 + (options.exclude?.size ?? 0)],
  );
  const candidates = rows.map(toLabelledVerdict).filter((row) => !options.exclude?.has(row.paper.id));
  const kept = candidates.filter((row) => !row.label);
  const dropped = candidates.filter((row) => row.label);
  const chosen: LabelledVerdict[] = [];
  while (chosen.length < options.limit && (kept.length || dropped.length)) {
    const next = (chosen.length % 2 === 0 ? kept.shift() : dropped.shift()) ?? kept.shift() ?? dropped.shift();
    if (next) chosen.push(next);
  }
  return chosen;
}

function toLabelledVerdict(row: Row): LabelledVerdict {
  return {
    paper: toPaper(row),
    label: row.label === 1,
    verdict: row.verdict_model !== null && row.verdict_relevant !== null ? { model: row.verdict_model, relevant: row.verdict_relevant === 1 } : null,
    labelledAt: row.labelled_at,
  };
}

/**
 * The classifier's verdicts measured against the group's labels (papers it never judged left out:
 * an imported README's papers are relevant because another system published them, not by a verdict
 * of this filter; `eval` re-judges every labelled paper).
 */
export async function scoresOnGroupLabels(q: Queryable): Promise<Scores> {
  const judged = (await labelledVerdicts(q)).flatMap(({ label, verdict }) =>
    verdict && verdict.model !== 'import' ? [{ label: { relevant: label, tags: [] }, verdict: { relevant: verdict.relevant, tags: [] } }] : [],
  );
  return scoresOf(confusionOf(judged));
}
