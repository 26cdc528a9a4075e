import type { App } from '../../src/app.ts';
import type { Platform } from '../../src/domain/delivery.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { type RecordedVote, recordVote } from '../../src/pipeline/apply-vote.ts';
import { storeClassified } from './classified.ts';
import { paperRecord } from './papers.ts';

/** Papers of two kinds a reader can tell apart by their words: KV-cache serving papers and distributed-consensus papers. */
export const KV_TOPICS = [
  'paged KV cache',
  'KV cache eviction',
  'KV cache compression',
  'prefix KV cache sharing',
  'KV cache offloading',
  'KV cache quantization',
];
export const CONSENSUS_TOPICS = [
  'Byzantine consensus',
  'Raft leader election',
  'blockchain sharding',
  'Paxos reconfiguration',
  'BFT state machine replication',
];

export function kvPaper(number: number, topic = KV_TOPICS[number % KV_TOPICS.length] as string): PaperRecord {
  return paperRecord(number, {
    title: `${topic[0]?.toUpperCase()}${topic.slice(1)} for long-context LLM serving (${number})`,
    abstract: `We study ${topic} in LLM serving: the KV cache of long requests grows with context, and our design keeps decode fast.`,
  });
}

export function consensusPaper(number: number, topic = CONSENSUS_TOPICS[number % CONSENSUS_TOPICS.length] as string): PaperRecord {
  return paperRecord(number, {
    title: `${topic[0]?.toUpperCase()}${topic.slice(1)} across data centers (${number})`,
    abstract: `We present a ${topic} protocol for replicated state machines that tolerates faulty replicas with fewer messages.`,
  });
}

/** Stores each record as a relevant paper announced on `day`, KV papers tagged serving, consensus papers networking. */
export async function storePapers(app: App, records: readonly PaperRecord[], day: string): Promise<void> {
  for (const record of records) {
    await storeClassified(app, record, day, { tags: record.title.includes('KV') ? ['serving'] : ['networking'] });
  }
}

export type Reader = { readonly platform: Platform; readonly userId: string };

/** Votes through the one call every platform uses. */
export function vote(app: App, reader: Reader, paperId: string, value: 'relevant' | 'not-relevant' | null): Promise<RecordedVote> {
  return recordVote({ db: app.db, now: app.now, tagsFor: app.classify.keywords.tagsFor }, { ...reader, paperId, value, source: 'digest' });
}

/** `likes` 👍 then `dislikes` 👎, in order. */
export async function voteAll(app: App, reader: Reader, likes: readonly PaperRecord[], dislikes: readonly PaperRecord[]): Promise<RecordedVote[]> {
  const outcomes: RecordedVote[] = [];
  for (const paper of likes) outcomes.push(await vote(app, reader, paper.id, 'relevant'));
  for (const paper of dislikes) outcomes.push(await vote(app, reader, paper.id, 'not-relevant'));
  return outcomes;
}
