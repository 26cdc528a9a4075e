import type { Paper } from '../../src/domain/paper.ts';
import { parseSubscriptionTargets, type Subscriber, type Subscription } from '../../src/domain/subscription.ts';
import type { TagVocabulary } from '../../src/domain/tags.ts';
import type { DayListing } from '../../src/store/papers.ts';
import { paperRecord } from './papers.ts';

type PaperFields = { version?: number; abstract?: string; tags?: string[]; relevant?: boolean | null; announcedOn?: string };

/** A stored paper as a day's listing shows it; relevant with `tags` unless told otherwise. */
export function listed(id: string, title: string, announceType: string, fields: PaperFields = {}): DayListing {
  const relevant = fields.relevant === undefined ? true : fields.relevant;
  const paper: Paper = {
    ...paperRecord(0, { id, version: fields.version ?? 1, title, abstract: fields.abstract ?? '' }),
    announcedOn: fields.announcedOn ?? '2025-12-18',
    classification: {
      status: relevant === null ? 'pending' : 'done',
      relevant,
      tags: relevant ? (fields.tags ?? []) : [],
      tldr: relevant ? `TL;DR of ${id}.` : null,
      model: 'test',
      promptHash: null,
      version: fields.version ?? 1,
      error: null,
      attempts: 1,
    },
  };
  return { paper, announceType };
}

let nextId = 1;
/** Subscriptions as `/subscribe <input>` would store them. */
export function subscriptionsOf(subscriber: Subscriber, vocabulary: TagVocabulary, ...inputs: string[]): Subscription[] {
  return inputs.flatMap((input) =>
    parseSubscriptionTargets(input, vocabulary).map((target) => ({ ...subscriber, ...target, id: nextId++, createdAt: '2025-12-18T00:00:00Z' })),
  );
}
