import { describe, expect, it } from 'vitest';
import { composeDigests, digestChannels } from '../../src/delivery/compose-digests.ts';
import { createVocabulary } from '../../src/domain/tags.ts';
import type { ChannelDigest } from '../../src/store/channels.ts';
import { listed } from '../helpers/listing.ts';

const tagOrder = createVocabulary().names();
const DAY = '2025-12-18';
const listing = [
  listed('2512.00001', 'MoE Serving', 'new', { tags: ['MoE', 'serving'] }),
  listed('2512.00002', 'Kernel Fusion', 'cross', { tags: ['kernel'] }),
  listed('2512.00003', 'Batching', 'new', { tags: ['serving'] }),
  listed('2512.00004', 'A Theory of Gradients', 'new', { relevant: false }),
  listed('2512.00005', 'Unclassified Yet', 'new', { relevant: null }),
  listed('2512.00006', 'Revised MoE Paper', 'replace', { tags: ['MoE'], version: 2 }),
];
const everything = { platform: 'slack' as const, channelId: 'C-all', tags: [] };

describe('composeDigests', () => {
  it('GIVEN a day THEN a channel gets its relevant new and cross-listed papers grouped by tag, the largest group first', () => {
    const [plan] = composeDigests(DAY, listing, [everything], { emptyNote: false, tagOrder });
    expect(plan?.key).toEqual({ kind: 'digest', platform: 'slack', target: 'C-all', day: DAY });
    const message = plan?.outgoing.kind === 'digest' ? plan.outgoing.message : null;
    expect(message?.tagCounts).toEqual([
      ['serving', 2],
      ['MoE', 1],
      ['kernel', 1],
    ]);
    expect(message?.papers.map((paper) => paper.id)).toEqual(['2512.00001', '2512.00003', '2512.00002']);
    expect(plan?.papers.map((paper) => [paper.id, paper.version, paper.isUpdate])).toEqual([
      ['2512.00001', 1, false],
      ['2512.00003', 1, false],
      ['2512.00002', 1, false],
    ]);
  });

  it('GIVEN a channel with tags THEN it gets only papers with any of them, and nothing when none has', () => {
    const plans = composeDigests(
      DAY,
      listing,
      [
        { platform: 'discord', channelId: 'D-moe', tags: ['MoE', 'kernel'] },
        { platform: 'discord', channelId: 'D-video', tags: ['video'] },
      ],
      { emptyNote: false, tagOrder },
    );
    expect(plans.map((plan) => [plan.key.target, plan.outgoing.message.papers.map((paper) => paper.id)])).toEqual([['D-moe', ['2512.00001', '2512.00002']]]);
  });

  it('GIVEN DIGEST_EMPTY_NOTE THEN a channel without papers gets an empty digest (the one-line note), but a day without an announcement gets nothing', () => {
    const video = { platform: 'discord' as const, channelId: 'D-video', tags: ['video'] };
    expect(composeDigests(DAY, listing, [video], { emptyNote: true, tagOrder }).map((plan) => plan.outgoing.message.papers)).toEqual([[]]);
    expect(composeDigests(DAY, [], [video, everything], { emptyNote: true, tagOrder })).toEqual([]);
  });

  it('GIVEN a channel set up with /digest and also configured THEN it gets one digest, of every relevant paper', () => {
    const enabled: ChannelDigest[] = [
      { platform: 'slack', channelId: 'C1', enabled: true, tags: ['MoE'], updatedBy: { userId: 'U', displayName: 'U' }, updatedAt: DAY },
      { platform: 'slack', channelId: 'C2', enabled: true, tags: ['kernel'], updatedBy: { userId: 'U', displayName: 'U' }, updatedAt: DAY },
    ];
    expect(
      digestChannels(enabled, [
        { platform: 'slack', channelIds: ['C1'] },
        { platform: 'discord', channelIds: ['C1'] },
      ]),
    ).toEqual([
      { platform: 'slack', channelId: 'C1', tags: [] },
      { platform: 'slack', channelId: 'C2', tags: ['kernel'] },
      { platform: 'discord', channelId: 'C1', tags: [] },
    ]);
  });
});
