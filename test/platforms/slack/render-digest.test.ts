import { describe, expect, it } from 'vitest';
import type { DigestMessage } from '../../../src/domain/delivery.ts';
import { renderAlert } from '../../../src/platforms/slack/render-alert.ts';
import { renderDigest } from '../../../src/platforms/slack/render-digest.ts';
import { checkBlocks } from '../../fakes/slack-block-kit.ts';
import { paperView, textsIn } from './slack-test-kit.ts';

const digest = (count: number): DigestMessage => ({
  day: '2025-12-18',
  papers: Array.from({ length: count }, (_, index) => paperView(index)),
  tagCounts: [
    ['serving', 5],
    ['MoE', 3],
  ],
});

describe('renderDigest', () => {
  it('GIVEN 12 papers THEN a header with the day and tag counts, and each paper alone in a thread message, with its ⋯ menu', () => {
    const { header, thread } = renderDigest(digest(12));
    expect(header.text).toBe('*12 papers* · serving 5 · MoE 3 (2025-12-18)');
    expect(header.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Systems for large models · 2025-12-18', emoji: false } });
    expect(header.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*12 papers* · serving 5 · MoE 3' } });
    expect(textsIn(header.blocks).join('\n')).toContain('react 👍 or 👎 to a paper');
    expect(thread).toHaveLength(12);
    expect(thread.map((message) => message.paperIds)).toEqual(digest(12).papers.map((paper) => [paper.id]));
    expect(thread[0]?.text).toBe('1/12: Paper 0: Serving mixture-of-experts models on a budget');
    for (const [index, message] of thread.entries()) {
      expect(message.blocks.map((block) => block.type)).toEqual(['section', 'context']);
      expect(checkBlocks([...message.blocks])).toEqual({ ok: true });
      const menu = (message.blocks[0] as { accessory?: { type: string; options: { value: string }[] } }).accessory;
      expect(menu?.type).toBe('overflow');
      expect(menu?.options.map((option) => option.value)).toEqual(
        ['relevant', 'not-relevant', 'like', 'clear'].map((choice) => `v1|${choice}|digest|${digest(12).papers[index]?.id}`),
      );
    }
  });

  it('GIVEN a title with markup THEN the thread message’s notification text escapes it', () => {
    const { thread } = renderDigest({ ...digest(1), papers: [paperView(1, { title: '<!channel> fast <@U1>' })] });
    expect(thread[0]?.text).toBe('1/1: &lt;!channel&gt; fast &lt;@U1&gt;');
  });

  it('GIVEN no papers THEN only a header that says so', () => {
    const { header, thread } = renderDigest({ day: '2025-12-19', papers: [], tagCounts: [] });
    expect(thread).toEqual([]);
    expect(textsIn(header.blocks).join('\n')).toContain('No new papers');
  });

  it('GIVEN a tag name with markup THEN the header escapes it', () => {
    const { header } = renderDigest({ ...digest(1), tagCounts: [['<!here>', 1]] });
    expect(header.text).toBe('*1 paper* · &lt;!here&gt; 1 (2025-12-18)');
  });
});

describe('renderAlert', () => {
  it('GIVEN new papers and an update THEN each shows why, and the update comes under its own heading', () => {
    const [message, ...rest] = renderAlert({
      day: '2025-12-18',
      papers: [
        paperView(1, { reasons: ['MoE'] }),
        paperView(2, { reasons: ['keyword: speculative decoding'] }),
        paperView(3, { reasons: ['MoE'], isUpdate: true, version: 2 }),
      ],
    });
    expect(rest).toEqual([]);
    expect(message?.text).toBe('2 new papers and 1 update for your subscriptions · 2025-12-18');
    expect(message?.blocks.map((block) => block.type)).toEqual([
      'section',
      'section',
      'context',
      'section',
      'context',
      'divider',
      'section',
      'section',
      'context',
    ]);
    expect(message?.blocks.filter((block) => (block as { accessory?: unknown }).accessory)).toHaveLength(3);
    expect(JSON.stringify(message?.blocks)).toContain('v1|not-relevant|alert|2512.10003');
    const texts = textsIn(message?.blocks);
    expect(texts.filter((text) => text.includes('because you follow'))).toEqual([
      expect.stringMatching(/because you follow MoE$/),
      expect.stringMatching(/because you follow keyword: speculative decoding$/),
      expect.stringMatching(/because you follow MoE$/),
    ]);
    expect(texts).toContain('*Updated papers you were shown before*');
  });
});
