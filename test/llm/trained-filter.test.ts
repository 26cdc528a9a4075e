import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { recordVote } from '../../src/pipeline/apply-vote.ts';
import { classifyPending } from '../../src/pipeline/classify.ts';
import { FILTER_MODEL_NAME } from '../../src/pipeline/train-filter.ts';
import { getPaper } from '../../src/store/papers.ts';
import { loadTextModel } from '../../src/store/text-models.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

let app: App;
const clock = fixedClock('2026-01-05T10:00:00Z');

/**
 * Papers near the rules' boundary, where votes matter: the rules keep cluster schedulers for DNN
 * training jobs (score about +1.7) and drop DNN inference on edge devices (about -0.8); this
 * group wants the opposite.
 */
const TOPICS = {
  scheduling: (n: number) => ({
    title: `Scheduling DNN Training Jobs on Shared GPU Clusters (${n})`,
    abstract: `We schedule deep learning training jobs on a shared GPU cluster of ${n * 8} nodes, raising utilization by 30%.`,
  }),
  edge: (n: number) => ({
    title: `Energy-Aware DNN Inference on Edge Devices (${n})`,
    abstract: `We run neural network inference on ${n} kinds of edge devices, saving 20% energy at the same latency.`,
  }),
};
const servingPaper = (number: number, topic: keyof typeof TOPICS) => paperRecord(number, TOPICS[topic](number));

beforeEach(async () => {
  app = await openTestApp({}, { now: clock.now });
});
afterEach(async () => {
  await app.close();
});

describe('the offline filter learns from votes', () => {
  it('GIVEN no labels THEN the rules decide alone and no model is trained', async () => {
    await announce(app, [servingPaper(1, 'scheduling')]);
    await classifyPending(app.classify);

    expect((await getPaper(app.db, servingPaper(1, 'scheduling').id))?.classification).toMatchObject({ relevant: true, model: 'keywords' });
    expect((await loadTextModel(app.db, FILTER_MODEL_NAME))?.model.examples).toBe(0);
  });

  it('GIVEN the group marks kept papers of one kind not relevant and dropped ones of another relevant THEN the filter retrains and decides the next ones their way', async () => {
    const voted = [1, 2, 3, 4, 5, 6].map((number) => servingPaper(number, 'scheduling'));
    const liked = [7, 8, 9].map((number) => servingPaper(number, 'edge'));
    await announce(app, [...voted, ...liked], '2026-01-02');
    await classifyPending(app.classify);
    const deps = { db: app.db, now: clock.now, tagsFor: app.classify.keywords.tagsFor };
    for (const paper of voted) await recordVote(deps, { platform: 'slack', userId: 'U1', paperId: paper.id, value: 'not-relevant', source: 'digest' });
    for (const paper of liked) await recordVote(deps, { platform: 'slack', userId: 'U1', paperId: paper.id, value: 'relevant', source: 'digest' });
    const before = app.classify.keywords.hash;

    await announce(app, [servingPaper(20, 'scheduling'), servingPaper(21, 'edge')], '2026-01-05');
    await classifyPending(app.classify);

    expect((await getPaper(app.db, servingPaper(20, 'scheduling').id))?.classification.relevant).toBe(false);
    expect((await getPaper(app.db, servingPaper(21, 'edge').id))?.classification.relevant).toBe(true);
    const stored = await loadTextModel(app.db, FILTER_MODEL_NAME);
    expect(stored?.trainedOn).toMatchObject({ votes: 9, llm: 0, relevant: 3 });
    expect(app.classify.keywords.hash).not.toBe(before);
  });

  it('GIVEN a stored model and unchanged labels THEN the next run reuses it without retraining', async () => {
    await announce(app, [servingPaper(1, 'scheduling'), servingPaper(2, 'edge')]);
    await classifyPending(app.classify);
    const deps = { db: app.db, now: clock.now, tagsFor: app.classify.keywords.tagsFor };
    await recordVote(deps, { platform: 'slack', userId: 'U1', paperId: servingPaper(1, 'scheduling').id, value: 'not-relevant', source: 'digest' });
    await recordVote(deps, { platform: 'slack', userId: 'U1', paperId: servingPaper(2, 'edge').id, value: 'relevant', source: 'digest' });
    await classifyPending(app.classify);
    const first = await loadTextModel(app.db, FILTER_MODEL_NAME);

    clock.set('2026-01-06T10:00:00Z');
    await classifyPending(app.classify);

    expect((await loadTextModel(app.db, FILTER_MODEL_NAME))?.trainedAt).toBe(first?.trainedAt);
  });
});
