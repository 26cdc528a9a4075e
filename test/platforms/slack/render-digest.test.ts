import { describe, expect, it } from 'vitest';
import type { DigestMessage } from '../../../src/domain/delivery.ts';
import { renderAlert } from '../../../src/platforms/slack/render-alert.ts';
import { renderDigest } from '../../../src/platforms/slack/render-digest.ts';
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
  it('GIVEN 12 papers THEN a header with the day and tag counts, and the papers in one thread message', () => {
    const { header, thread } = renderDigest(digest(12));
    expect(header.text).toBe('*12 papers* · serving 5 · MoE 3 (2025-12-18)');
    expect(header.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Systems for large models · 2025-12-18', emoji: false } });
    expect(header.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*12 papers* · serving 5 · MoE 3' } });
    expect(thread).toHaveLength(1);
    expect(thread[0]?.blocks).toHaveLength(24);
    expect(thread[0]?.text).toBe('12 papers for 2025-12-18');
  });

  it('GIVEN 40 papers THEN the thread is split between papers', () => {
    const { thread } = renderDigest(digest(40));
    expect(thread.length).toBe(2);
    expect(thread.map((message) => message.blocks.length)).toEqual([50, 30]);
    expect(thread[1]?.text).toBe('(continued 2/2) papers 26–40');
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
    const texts = textsIn(message?.blocks);
    expect(texts.filter((text) => text.includes('because you follow'))).toEqual([
      expect.stringMatching(/because you follow MoE$/),
      expect.stringMatching(/because you follow keyword: speculative decoding$/),
      expect.stringMatching(/because you follow MoE$/),
    ]);
    expect(texts).toContain('*Updated papers you were shown before*');
  });
});
