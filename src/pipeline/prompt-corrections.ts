import type { PromptCorrection } from '../llm/classify-prompt.ts';
import type { Queryable } from '../store/db.ts';
import { recentCorrections } from '../store/group-labels.ts';

/** The group's latest disagreements with the LLM, as the prompt shows them. */
export async function promptCorrections(
  q: Queryable,
  options: { readonly limit: number; readonly exclude?: ReadonlySet<string> },
): Promise<PromptCorrection[]> {
  const rows = await recentCorrections(q, options);
  return rows.flatMap(({ paper, label, verdict }) =>
    verdict ? [{ title: paper.title, abstract: paper.abstract || paper.classification.tldr || '', modelSaid: verdict.relevant, groupSays: label }] : [],
  );
}
