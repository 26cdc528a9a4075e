import type { Queryable } from './db.ts';

/** Models whose verdicts are not an LLM's: they never teach the offline filter. */
export const NON_LLM_MODELS = ['keywords', 'prefilter', 'import', 'votes'] as const;

/** A paper's text with a label, and where the label came from. */
export type LabelledText = {
  readonly id: string;
  readonly title: string;
  /** The abstract, or the TL;DR where there is no abstract (imported papers). */
  readonly body: string;
  readonly relevant: boolean;
  readonly source: 'import' | 'llm' | 'votes';
};

type Row = { id: string; title: string; abstract: string; tldr: string | null; relevant: number };

/**
 * What the offline filter learns from: the imported README archive (relevant, title + TL;DR), LLM
 * verdicts (the latest `llmLimit`), and the group's labels, which win over an LLM verdict of the
 * same paper. Ties and papers without a verdict teach nothing.
 */
export async function filterTrainingSet(q: Queryable, options: { readonly llmLimit: number }): Promise<LabelledText[]> {
  const marks = NON_LLM_MODELS.map(() => '?').join(', ');
  const labelled = await q.all<Row>(
    `SELECT p.id, p.title, p.abstract, c.tldr, l.label AS relevant FROM paper_labels l JOIN papers p ON p.id = l.paper_id
       LEFT JOIN classifications c ON c.paper_id = p.id WHERE l.label IS NOT NULL`,
  );
  const imported = await q.all<Row>(
    `SELECT p.id, p.title, p.abstract, c.tldr, 1 AS relevant FROM classifications c JOIN papers p ON p.id = c.paper_id WHERE c.model = 'import'`,
  );
  const llm = await q.all<Row>(
    `SELECT p.id, p.title, p.abstract, c.tldr, c.relevant FROM classifications c JOIN papers p ON p.id = c.paper_id
     WHERE c.status = 'done' AND c.relevant IS NOT NULL AND c.model NOT IN (${marks}) ORDER BY c.updated_at DESC LIMIT ?`,
    [...NON_LLM_MODELS, options.llmLimit],
  );
  const byId = new Map<string, LabelledText>();
  const add = (rows: readonly Row[], source: LabelledText['source']) => {
    for (const row of rows) {
      if (byId.has(row.id)) continue;
      byId.set(row.id, { id: row.id, title: row.title, body: row.abstract || row.tldr || '', relevant: row.relevant === 1, source });
    }
  };
  add(labelled, 'votes');
  add(llm, 'llm');
  add(imported, 'import');
  return [...byId.values()];
}

/** Changes whenever the training set would: a label, an LLM verdict or an import. Cheap (indexed counts). */
export async function trainingFingerprint(q: Queryable): Promise<string> {
  const marks = NON_LLM_MODELS.map(() => '?').join(', ');
  const generation = await q.get<{ generation: number }>('SELECT generation FROM label_generation WHERE id = 1');
  const verdicts = await q.get<{ llm: number; latest: string | null; imported: number }>(
    `SELECT SUM(model NOT IN (${marks}) AND status = 'done') AS llm, MAX(CASE WHEN model NOT IN (${marks}) THEN updated_at END) AS latest,
       SUM(model = 'import') AS imported FROM classifications`,
    [...NON_LLM_MODELS, ...NON_LLM_MODELS],
  );
  return JSON.stringify([generation?.generation ?? 0, verdicts?.llm ?? 0, verdicts?.latest ?? null, verdicts?.imported ?? 0]);
}
