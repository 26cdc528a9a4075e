import type { AlertMessage, DigestMessage } from '../domain/delivery.ts';
import type { DeliveredPaper, DeliveryKey } from '../store/ledger.ts';

/** What a delivery sends: a channel's digest or a person's alert. */
export type Outgoing = { readonly kind: 'digest'; readonly message: DigestMessage } | { readonly kind: 'alert'; readonly message: AlertMessage };

/** A delivery composed for a day, before it is claimed: who gets what (`papers` is what the ledger keeps of it). */
export type PlannedDelivery = {
  readonly key: DeliveryKey;
  readonly papers: readonly DeliveredPaper[];
  readonly outgoing: Outgoing;
};
