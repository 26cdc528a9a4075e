import type { Paper } from '../src/domain/paper.ts';
import { toPaperView } from '../src/domain/paper-view.ts';
import type { PaperStanding, PaperView } from '../src/domain/reply.ts';
import type { Queryable } from '../src/store/db.ts';
import { rejectedByGroup } from '../src/store/votes.ts';

/** Papers as views that say which of them are not among the archive's relevant papers, and why. */
export async function viewsWithStanding(q: Queryable, papers: readonly Paper[]): Promise<PaperView[]> {
  const rejected = await rejectedByGroup(
    q,
    papers.map((paper) => paper.id),
  );
  return papers.map((paper) => {
    const standing: PaperStanding | null = paper.classification.relevant !== true ? 'dropped' : rejected.has(paper.id) ? 'rejected' : null;
    return standing ? { ...toPaperView(paper), standing } : toPaperView(paper);
  });
}

/** Why an `include:dropped` search with words may have missed older papers. */
export function describeDroppedWindow(newest: number): string {
  return `With \`include:dropped\`, words are searched in the newest ${newest.toLocaleString('en-US')} papers of those dates; give dates to search older ones.`;
}
