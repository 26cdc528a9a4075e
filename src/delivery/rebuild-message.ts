import { toPaperView } from '../domain/paper-view.ts';
import type { PaperView } from '../domain/reply.ts';
import type { Queryable } from '../store/db.ts';
import { type Delivery, deliveredPapers } from '../store/ledger.ts';
import { papersByIds } from '../store/papers.ts';
import { digestMessage } from './digest-message.ts';
import type { Outgoing } from './planned-delivery.ts';

/**
 * A delivery's message again, for a retry: the papers the ledger recorded for it, in the same
 * order and with the same reasons, shown as the archive has them now (a TL;DR may have improved).
 */
export async function rebuildMessage(q: Queryable, delivery: Delivery, tagOrder: readonly string[] = []): Promise<Outgoing> {
  const recorded = await deliveredPapers(q, delivery.id);
  const papers = new Map(
    (
      await papersByIds(
        q,
        recorded.map((paper) => paper.id),
      )
    ).map((paper) => [paper.id, paper]),
  );
  const views: PaperView[] = [];
  const picks: PaperView[] = [];
  for (const entry of recorded) {
    const paper = papers.get(entry.id);
    if (!paper) continue;
    const view = toPaperView(paper, entry.reasons);
    if (entry.pick) picks.push({ ...view, pick: entry.pick });
    else views.push(entry.isUpdate ? { ...view, isUpdate: true } : view);
  }
  if (delivery.kind === 'digest') {
    // The order was grouped when composed; keep it, and count the tags again from the same papers,
    // ties in the vocabulary's order as when composed, so the header still names the groups in order.
    const { tagCounts } = digestMessage(delivery.day, views, tagOrder);
    return { kind: 'digest', message: { day: delivery.day, papers: views, tagCounts } };
  }
  return { kind: 'alert', message: { day: delivery.day, papers: views, ...(picks.length ? { picks } : {}) } };
}
