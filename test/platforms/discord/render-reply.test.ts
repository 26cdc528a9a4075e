import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/domain/reply.ts';
import { LIMITS } from '../../../src/platforms/discord/discord-limits.ts';
import type { ActionRow, DiscordMessage } from '../../../src/platforms/discord/discord-message.ts';
import { escapeMarkdown, renderReplyText } from '../../../src/platforms/discord/escape-markdown.ts';
import { renderDigest } from '../../../src/platforms/discord/render-delivery.ts';
import { embedLength } from '../../../src/platforms/discord/render-paper-embed.ts';
import { renderReply } from '../../../src/platforms/discord/render-reply.ts';
import { samplePaper } from './fake-command-port.ts';

function expectWithinLimits(messages: readonly DiscordMessage[]): void {
  for (const message of messages) {
    expect(message.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(message.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
    expect(message.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    for (const embed of message.embeds) {
      expect(embed.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
      expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
      for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
  }
}

describe('Reply → Discord messages', () => {
  it('GIVEN papers with the longest titles, TL;DRs and author lists THEN every message is within Discord limits and no paper is split', () => {
    const huge = Array.from({ length: 25 }, (_, index) =>
      samplePaper(index, {
        title: '*_'.repeat(200),
        tldr: '|'.repeat(5000),
        authors: Array.from({ length: 400 }, (_, author) => `Author_${author}`),
        reasons: Array.from({ length: 300 }, () => 'keyword: <@everyone>'),
      }),
    );
    const messages = renderReply({ text: `${'word '.repeat(900)}\n`.repeat(3), papers: huge, private: true });

    expectWithinLimits(messages);
    expect(messages.flatMap((message) => message.embeds)).toHaveLength(25);
    expect(messages.flatMap((message) => message.embeds).every((embed) => embed.title?.endsWith('…'))).toBe(true);
  });

  it('GIVEN eleven short papers THEN ten share one message with the text, each message gets vote menus for its own papers, and the buttons go on the last message', () => {
    const row: ActionRow = {
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'More results', custom_id: 'lp:more:k' }],
    };
    const reply: Reply = { text: 'ten papers', papers: Array.from({ length: 11 }, (_, index) => samplePaper(index)), private: true };
    const messages = renderReply(reply, [row]);

    expect(messages.map((message) => [message.content, message.embeds.length, message.components.length])).toEqual([
      ['ten papers', 10, 3],
      ['', 1, 4],
    ]);
    const selects = messages.map((message) =>
      message.components.slice(0, 3).map((row) => {
        const select = row.components[0] as { custom_id: string; options: { value: string }[]; max_values: number };
        return [select.custom_id, select.options.map((option) => option.value), select.max_values];
      }),
    );
    const ids = reply.papers?.map((paper) => paper.id) ?? [];
    expect(selects).toEqual([
      [
        ['lp:votes:r:s', ids.slice(0, 10), 10],
        ['lp:votes:n:s', ids.slice(0, 10), 10],
        ['lp:likes:s', ids.slice(0, 10), 1],
      ],
      [
        ['lp:votes:r:s', ids.slice(10), 1],
        ['lp:votes:n:s', ids.slice(10), 1],
        ['lp:likes:s', ids.slice(10), 1],
      ],
    ]);
    expect(messages[1]?.components[3]).toEqual(row);
  });

  it('GIVEN a digest day without papers THEN only the header says so', () => {
    expect(renderDigest({ day: '2025-12-25', papers: [], tagCounts: [] }).map((message) => message.content)).toEqual([
      '**arXiv digest for 2025-12-25** — no new papers',
    ]);
  });

  it.each([
    ['**bold** __under__ ~~strike~~ ||spoiler||', '\\*\\*bold\\*\\* \\_\\_under\\_\\_ \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\|'],
    ['[masked](https://evil.example)', '\\[masked\\](https://evil.example)'],
    ['<@123> <@&456> <#789> <t:1700000000:R> </papers:1>', '\\<@123> \\<@&456> \\<#789> \\<t:1700000000:R> \\</papers:1>'],
    ['# heading\n> quote\n- item\n1. first', '\\# heading\n\\> quote\n\\- item\n1\\. first'],
    ['back\\slash `code`', 'back\\\\slash \\`code\\`'],
  ])('GIVEN untrusted %j THEN it is shown literally', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  it('GIVEN reply text with code spans and a bare link THEN the spans stay code, the rest is escaped, and the link gets no preview', () => {
    expect(renderReplyText('Try `/papers MoE` — *or* see https://arxiv.org/list/cs.DC/new')).toBe(
      'Try `/papers MoE` — \\*or\\* see <https://arxiv.org/list/cs.DC/new>',
    );
  });
});
