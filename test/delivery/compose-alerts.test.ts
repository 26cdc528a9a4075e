import { describe, expect, it } from 'vitest';
import { composeAlerts } from '../../src/delivery/compose-alerts.ts';
import { createVocabulary } from '../../src/domain/tags.ts';
import { listed, subscriptionsOf } from '../helpers/listing.ts';

const vocabulary = createVocabulary();
const DAY = '2025-12-18';
const listing = [
  listed('2512.00001', 'Speculative Decoding for MoE Serving', 'new', { tags: ['MoE', 'serving'] }),
  listed('2512.00002', 'Kernel Fusion for Attention', 'cross', { tags: ['kernel'] }),
  listed('2512.00003', 'Speculative Decoding of Gradients', 'new', { relevant: false }),
  listed('2512.00009', 'Lotus: Disaggregated Locks, Revised', 'replace', { tags: ['storage'], version: 2, announcedOn: '2025-12-10' }),
];
const alice = { platform: 'slack' as const, userId: 'alice' };
const bob = { platform: 'discord' as const, userId: 'bob' };
const carol = { platform: 'email' as const, userId: 'carol@example.org' };

describe('composeAlerts', () => {
  it('GIVEN subscriptions THEN each person gets one alert of the relevant new papers that match, each with why, and nobody else gets one', async () => {
    const subscriptions = [
      ...subscriptionsOf(alice, vocabulary, 'MoE', 'speculative decoding'),
      ...subscriptionsOf(bob, vocabulary, 'kernel'),
      ...subscriptionsOf(carol, vocabulary, 'video'),
    ];
    const plans = await composeAlerts(DAY, listing, subscriptions, []);
    expect(plans.map((plan) => [plan.key.platform, plan.key.target, plan.outgoing.message.papers.map((paper) => [paper.id, paper.reasons])])).toEqual([
      ['slack', 'alice', [['2512.00001', ['MoE', 'keyword: speculative decoding']]]],
      ['discord', 'bob', [['2512.00002', ['kernel']]]],
    ]);
  });

  it('GIVEN a replaced paper THEN only the people sent an older version hear of it, once, as an update (with reasons if they still match)', async () => {
    const subscriptions = [
      ...subscriptionsOf(alice, vocabulary, 'storage'),
      ...subscriptionsOf(bob, vocabulary, 'disaggregated locks'),
      ...subscriptionsOf(carol, vocabulary, 'storage'),
    ];
    const alerted = [
      { platform: 'slack' as const, target: 'alice', paperId: '2512.00009', version: 1 },
      { platform: 'discord' as const, target: 'bob', paperId: '2512.00009', version: 1 },
      { platform: 'discord' as const, target: 'dave', paperId: '2512.00009', version: 1 },
      { platform: 'email' as const, target: 'carol@example.org', paperId: '2512.00009', version: 2 },
    ];
    const plans = await composeAlerts(DAY, listing, subscriptions, alerted);
    expect(
      plans.map((plan) => [plan.key.target, plan.outgoing.message.papers.map((paper) => [paper.id, paper.version, paper.isUpdate, paper.reasons ?? []])]),
    ).toEqual([
      ['alice', [['2512.00009', 2, true, ['storage']]]],
      ['bob', [['2512.00009', 2, true, ['keyword: disaggregated locks']]]],
    ]);
    expect(plans[0]?.papers).toEqual([{ id: '2512.00009', version: 2, isUpdate: true, reasons: ['storage'] }]);
  });
});
