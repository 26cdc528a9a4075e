import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/domain/reply.ts';
import { blockCharacters } from '../../../src/platforms/slack/pack-messages.ts';
import { renderReply } from '../../../src/platforms/slack/render-reply.ts';
import { SLACK_LIMITS } from '../../../src/platforms/slack/slack-limits.ts';
import { paperView, textsIn } from './slack-test-kit.ts';

const searchReply = (count: number, overrides: Partial<Reply> = {}): Reply => ({
  text: 'Papers tagged `serving`: 1–8 (more below), newest first.',
  papers: Array.from({ length: count }, (_, index) => paperView(index)),
  private: true,
  actions: [
    { kind: 'more', command: 'papers', cursor: 'eyJvZmZzZXQiOjh9' },
    { kind: 'subscribe', tag: 'serving' },
    { kind: 'share', command: 'papers', input: 'serving' },
  ],
  ...overrides,
});

/** The arXiv ids in the order a list of messages shows them. */
function paperIds(messages: ReturnType<typeof renderReply>): string[] {
  return messages.flatMap((message) =>
    textsIn(message.blocks).flatMap((text) => [...text.matchAll(/abs\/(\d{4}\.\d{5})v/g)].map((match) => match[1] as string)),
  );
}

describe('renderReply', () => {
  it('GIVEN a page of 8 papers THEN one message: the text, a section and a context per paper, then the buttons', () => {
    const [message, ...rest] = renderReply(searchReply(8));
    expect(rest).toEqual([]);
    const types = message?.blocks.map((block) => block.type);
    expect(types).toEqual(['section', ...Array(8).fill(['section', 'context']).flat(), 'actions']);
    expect(message?.text).toBe('Papers tagged `serving`: 1–8 (more below), newest first.');
    const first = message?.blocks[1] as { text: { type: string; text: string } };
    expect(first.text).toEqual({
      type: 'mrkdwn',
      text: '*<https://arxiv.org/abs/2512.10000v1|Paper 0: Serving mixture-of-experts models on a budget>*\nOffloads cold experts to CPU memory and prefetches them one layer ahead, for 2.1× throughput on one GPU.',
    });
    const context = message?.blocks[2] as { elements: { text: string }[] };
    expect(context.elements[0]?.text).toBe(
      '2025-12-18 · `serving` `MoE` · Ada Lovelace, Alan Turing, Grace Hopper et al. · <https://arxiv.org/pdf/2512.10000v1|PDF>',
    );
  });

  it('GIVEN the three actions THEN the buttons carry the cursor, the tag and the query', () => {
    const [message] = renderReply(searchReply(2));
    const actions = message?.blocks.at(-1) as { elements: { action_id: string; value: string; text: { text: string } }[] };
    expect(actions.elements.map((button) => [button.action_id, button.text.text, button.value])).toEqual([
      ['papers_more', 'More results', JSON.stringify({ command: 'papers', cursor: 'eyJvZmZzZXQiOjh9' })],
      ['papers_subscribe', 'Subscribe to serving', 'serving'],
      ['papers_share', 'Share in channel', JSON.stringify({ command: 'papers', input: 'serving' })],
    ]);
  });

  it('GIVEN the reply is shown publicly THEN there is no Share button', () => {
    const [message] = renderReply(searchReply(2), false);
    const actions = message?.blocks.at(-1) as { elements: { action_id: string }[] };
    expect(actions.elements.map((button) => button.action_id)).toEqual(['papers_more', 'papers_subscribe']);
  });

  it('GIVEN a cursor longer than a button value may be THEN the More button is left out, not cut', () => {
    const [message] = renderReply(searchReply(1, { actions: [{ kind: 'more', command: 'papers', cursor: 'x'.repeat(3000) }] }));
    expect(message?.blocks.map((block) => block.type)).not.toContain('actions');
  });

  it('GIVEN a text-only reply THEN one section and no buttons', () => {
    expect(renderReply({ text: 'Subscribed to `MoE`.', private: true })).toEqual([
      { text: 'Subscribed to `MoE`.', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Subscribed to `MoE`.' } }] },
    ]);
  });

  it('GIVEN 60 papers THEN several messages within 50 blocks and the character budget, split between papers, none lost', () => {
    const messages = renderReply(searchReply(60));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(blockCharacters(message.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.blockCharacters);
      // Every paper's section is followed by its context in the same message.
      message.blocks.forEach((block, index) => {
        if (block.type === 'context') expect(message.blocks[index - 1]?.type).toBe('section');
      });
    }
    expect(paperIds(messages)).toEqual(Array.from({ length: 60 }, (_, index) => paperView(index).id));
    expect(messages.at(-1)?.blocks.at(-1)?.type).toBe('actions');
    expect(messages[1]?.text).toMatch(/^\(continued 2\/\d\) papers \d+–\d+$/);
  });

  it('GIVEN long TL;DRs THEN the split follows the character budget, not only the block count', () => {
    const papers = Array.from({ length: 10 }, (_, index) => paperView(index, { tldr: 'word '.repeat(500) }));
    const messages = renderReply({ text: 'Long ones', papers, private: true });
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(blockCharacters(message.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.blockCharacters);
    expect(paperIds(messages)).toHaveLength(10);
  });

  it('GIVEN a TL;DR beyond 3,000 characters THEN the section is clipped with an ellipsis and keeps its title', () => {
    const [message] = renderReply({ text: 'One', papers: [paperView(1, { tldr: '&'.repeat(5000) })], private: true });
    const section = message?.blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(section.text.text).toMatch(/^\*<https:\/\/arxiv\.org\/abs\/2512\.10001v1\|/);
    expect(section.text.text).toMatch(/(&amp;)+…$/);
  });

  it('GIVEN an updated paper THEN its version is marked', () => {
    const [message] = renderReply({ text: 'x', papers: [paperView(1, { version: 3, isUpdate: true })], private: true });
    expect(textsIn(message?.blocks[1])).toContainEqual(expect.stringContaining('_(updated: v3)_'));
  });
});
