import type { DigestMessage } from '../domain/delivery.ts';
import type { PaperView } from '../domain/reply.ts';

/**
 * A digest from its papers: tag counts largest first (ties in vocabulary order), and the papers
 * grouped by tag in that order — each under the first of its tags that the header lists — so a
 * renderer that lists them in order shows the groups the header announces. Untagged papers last.
 */
export function digestMessage(day: string, papers: readonly PaperView[], tagOrder: readonly string[] = []): DigestMessage {
  const counts = new Map<string, number>();
  for (const paper of papers) for (const tag of new Set(paper.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const rank = (tag: string) => {
    const index = tagOrder.indexOf(tag);
    return index === -1 ? tagOrder.length : index;
  };
  const tagCounts = [...counts].sort(([a, countA], [b, countB]) => countB - countA || rank(a) - rank(b) || a.localeCompare(b));
  const position = new Map(tagCounts.map(([tag], index) => [tag, index]));
  const group = (paper: PaperView) => Math.min(...paper.tags.map((tag) => position.get(tag) ?? tagCounts.length), tagCounts.length);
  const grouped = papers
    .map((paper, index) => ({ paper, index, group: group(paper) }))
    .sort((a, b) => a.group - b.group || a.index - b.index)
    .map((entry) => entry.paper);
  return { day, papers: grouped, tagCounts };
}
