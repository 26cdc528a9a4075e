import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../commands/command.ts';
import { papersCommand } from '../../commands/papers.ts';
import { runCommand } from '../../commands/run-command.ts';
import type { App } from '../../src/app.ts';
import type { Reply } from '../../src/domain/reply.ts';
import { storeDay } from '../helpers/classified.ts';
import { commandContext } from '../helpers/command-context.ts';
import { paperRecord } from '../helpers/papers.ts';
import { consensusPaper, kvPaper, type Reader, storePapers, voteAll } from '../helpers/readers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const clock = fixedClock('2025-12-19T10:00:00Z');
const kvLiker: Reader = { platform: 'slack', userId: 'KV' };
const consensusLiker: Reader = { platform: 'slack', userId: 'BFT' };
const newcomer: Reader = { platform: 'slack', userId: 'NEW' };

// Papers the two readers vote on (older), and twelve that any query for "latency" finds equally well.
const trainingKv = Array.from({ length: 5 }, (_, index) => kvPaper(index + 1));
const trainingConsensus = Array.from({ length: 5 }, (_, index) => consensusPaper(index + 101));
const KV_TIES = ['KV cache paging', 'KV cache eviction', 'KV cache sharing', 'KV cache offload', 'KV cache quantizing', 'KV cache prefetch'];
const BFT_TIES = ['Byzantine consensus', 'Raft consensus', 'Paxos consensus', 'BFT consensus', 'Ledger consensus', 'Quorum consensus'];
const ties = [...KV_TIES, ...BFT_TIES].map((topic, index) =>
  paperRecord(400 + index, { title: `Latency of ${topic} systems`, abstract: `We measure the tail latency of ${topic} deployments at scale.` }),
);
const isKv = (title: string) => title.includes('KV');

describe('/papers in a person’s own order', () => {
  let app: App;
  const papers = async (reader: Reader, text: string, cursor?: string | null): Promise<Reply> =>
    runCommand(papersCommand, commandContext(app, { platform: reader.platform, userId: reader.userId } as Partial<Caller>), { text, cursor: cursor ?? null });

  beforeEach(async () => {
    clock.set('2025-12-19T10:00:00Z');
    app = await openTestApp({}, { now: clock.now });
    await storePapers(app, [...trainingKv, ...trainingConsensus], '2025-11-20');
    await storePapers(app, ties, '2025-12-18');
    // Papers without the word, as in a real archive: BM25 weighs a word by how rare it is.
    await storeDay(app, '2025-10-01', 700, 60);
    await voteAll(app, kvLiker, trainingKv, trainingConsensus.slice(0, 3));
    await voteAll(app, consensusLiker, trainingConsensus, trainingKv.slice(0, 3));
  });
  afterEach(() => app.close());

  it('GIVEN results that match a query equally well THEN each reader gets them in their own order; a reader without votes gets today’s order', async () => {
    const plain = await papers(newcomer, 'latency');
    expect(plain.text).toBe('Papers matching “latency”: 1–8 (more below), best match first.');
    const forKv = await papers(kvLiker, 'latency');
    expect(forKv.text).toBe('Papers matching “latency”: 1–8 (more below), best match first (near-ties in your order).');
    expect(forKv.papers?.slice(0, 6).every((paper) => isKv(paper.title))).toBe(true);
    const forBft = await papers(consensusLiker, 'latency');
    expect(forBft.papers?.slice(0, 6).every((paper) => !isKv(paper.title))).toBe(true);
    expect(plain.papers?.map((paper) => paper.id)).not.toEqual(forKv.papers?.map((paper) => paper.id));
  });

  it('GIVEN a reader’s order THEN the second page goes on from the first, nothing repeated or skipped', async () => {
    const first = await papers(kvLiker, 'latency');
    const second = await papers(kvLiker, '', first.cursor);
    const all = [...(first.papers ?? []), ...(second.papers ?? [])].map((paper) => paper.id);
    expect(new Set(all).size).toBe(12);
    expect(second.papers?.every((paper) => !isKv(paper.title))).toBe(true);
  });

  it('GIVEN more near-ties than a window of 24 THEN paging through all of them shows each once', async () => {
    const more = Array.from({ length: 20 }, (_, index) =>
      paperRecord(800 + index, {
        title: `Latency of ${index % 2 ? 'KV cache' : 'Raft consensus'} systems ${index}`,
        abstract: 'We measure the tail latency of deployments at scale.',
      }),
    );
    await storePapers(app, more, '2025-12-18');
    const seen: string[] = [];
    let reply = await papers(kvLiker, 'latency');
    seen.push(...(reply.papers ?? []).map((paper) => paper.id));
    while (reply.cursor) {
      reply = await papers(kvLiker, '', reply.cursor);
      seen.push(...(reply.papers ?? []).map((paper) => paper.id));
    }
    expect(seen).toHaveLength(32);
    expect(new Set(seen).size).toBe(32);
  });

  it('GIVEN a clearly better match THEN no reader’s taste lifts a weaker one above it', async () => {
    const best = paperRecord(500, {
      title: 'Latency, latency, latency: Paxos consensus latency',
      abstract: 'Latency of consensus; latency everywhere; tail latency.',
    });
    await storePapers(app, [best], '2025-12-18');
    expect((await papers(kvLiker, 'latency')).papers?.[0]?.id).toBe(best.id);
  });

  it('GIVEN a search without words THEN the papers of each day come in the reader’s order, days newest first', async () => {
    const forKv = await papers(kvLiker, 'since 2025-12-01');
    expect(forKv.text).toContain('newest first (each day in your order)');
    expect(forKv.papers?.slice(0, 6).every((paper) => isKv(paper.title))).toBe(true);
  });
});

describe('/papers for me', () => {
  let app: App;
  const papers = async (reader: Reader, text: string, cursor?: string | null): Promise<Reply> =>
    runCommand(papersCommand, commandContext(app, { platform: reader.platform, userId: reader.userId } as Partial<Caller>), { text, cursor: cursor ?? null });

  beforeEach(async () => {
    clock.set('2025-12-19T10:00:00Z');
    app = await openTestApp({}, { now: clock.now });
    await storePapers(app, [...trainingKv, ...trainingConsensus], '2025-12-15');
    await storePapers(app, ties, '2025-12-18');
    await storePapers(app, [kvPaper(600, 'KV cache paging')], '2025-11-02');
  });
  afterEach(() => app.close());

  it('GIVEN too few votes THEN a private note of how many more of each it takes', async () => {
    await voteAll(app, kvLiker, trainingKv.slice(0, 2), []);
    const reply = await papers(kvLiker, 'for me');
    expect(reply).toEqual({
      text: 'Your own ranking starts once you have marked 5 papers 👍 relevant and 3 👎 not relevant; you have 2 👍 and 0 👎, so 3 more 👍 (relevant) and 3 more 👎 (not relevant) to go. Mark papers with the 👍/👎 buttons or reactions under the digest, your alerts and `/papers` results.',
      private: true,
    });
  });

  it('GIVEN enough votes THEN the last 7 days’ papers best for the reader first, each with why, voted ones left out, a second page after', async () => {
    await voteAll(app, kvLiker, trainingKv, trainingConsensus.slice(0, 3));
    const first = await papers(kvLiker, 'for me');
    expect(first.text).toBe(
      'Best for you of 14 papers from 2025-12-13 to 2025-12-19 (the last 7 days), by your 5 👍 and 3 👎: 1–8 (more below). Papers you voted on are left out.',
    );
    expect(first.papers?.slice(0, 6).every((paper) => isKv(paper.title))).toBe(true);
    expect(first.papers?.[0]?.pick?.like?.title).toMatch(/KV cache/);
    expect(first.papers?.[0]?.pick?.words.length).toBeGreaterThan(0);
    expect(first.actions).toEqual([{ kind: 'more', command: 'papers', cursor: first.cursor }]);
    const second = await papers(kvLiker, '', first.cursor);
    const all = [...(first.papers ?? []), ...(second.papers ?? [])].map((paper) => paper.id);
    expect(new Set(all).size).toBe(14);
    expect(all).not.toContain(trainingKv[0]?.id);
  });

  it('GIVEN dates THEN only that period; like: is not for it', async () => {
    await voteAll(app, kvLiker, trainingKv, trainingConsensus.slice(0, 3));
    const reply = await papers(kvLiker, 'for me 2025-11');
    expect(reply.papers?.map((paper) => paper.id)).toEqual([kvPaper(600).id]);
    expect((await papers(kvLiker, `for me like:${kvPaper(600).id}`)).text).toMatch(
      /^`\/papers for me` ranks a period by your votes; for papers like one paper/,
    );
  });
});
