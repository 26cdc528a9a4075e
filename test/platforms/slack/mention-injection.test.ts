import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaperView } from '../../../src/domain/reply.ts';
import { createLogger } from '../../../src/log.ts';
import { ChannelPacer } from '../../../src/platforms/slack/channel-pacer.ts';
import { createApiClient } from '../../../src/platforms/slack/create-slack-app.ts';
import { renderAlert } from '../../../src/platforms/slack/render-alert.ts';
import { renderDigest } from '../../../src/platforms/slack/render-digest.ts';
import { renderReply } from '../../../src/platforms/slack/render-reply.ts';
import { createSlackMessenger } from '../../../src/platforms/slack/slack-messenger.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { paperView, textsIn } from './slack-test-kit.ts';

const TRICKS = '<!channel> <!here> <!everyone> <@U123> <#C999> <!subteam^S1> <https://evil.example|click here>';

const hostile: PaperView = paperView(7, {
  title: `Fast serving ${TRICKS}`,
  tldr: `TL;DR ${TRICKS} & more`,
  authors: ['<@U123>', 'Eve <!channel>'],
  tags: ['serving', '<!here>'],
  reasons: ['keyword: <!channel>'],
});

/** The only `<…>` sequences allowed are the links we build to arXiv. */
const FOREIGN_CONTROL = /<(?!https:\/\/arxiv\.org\/(?:abs|pdf)\/2512\.\d{5}v\d\|)/;

function expectInert(texts: readonly string[]): void {
  for (const text of texts) expect(text).not.toMatch(FOREIGN_CONTROL);
  const all = texts.join('\n');
  expect(all).toContain('&lt;!channel&gt;');
  expect(all).toContain('&lt;@U123&gt;');
  expect(all).toContain('&lt;https://evil.example|click here&gt;');
}

describe('mention and link injection', () => {
  it('GIVEN a paper whose title, TL;DR, authors, tags and reasons carry mentions and links THEN a search reply renders them as text', () => {
    const messages = renderReply({ text: `Papers matching ${TRICKS}`, papers: [hostile], private: true });
    expectInert(messages.flatMap((message) => [message.text, ...textsIn(message.blocks)]));
  });

  it('GIVEN the same paper THEN a digest and an alert render it inert too', () => {
    const digest = renderDigest({ day: '2025-12-18', papers: [hostile], tagCounts: [['<!channel>', 1]] });
    expectInert([digest.header, ...digest.thread].flatMap((message) => [message.text, ...textsIn(message.blocks)]));
    const alert = renderAlert({ day: '2025-12-18', papers: [hostile] });
    expectInert(alert.flatMap((message) => [message.text, ...textsIn(message.blocks)]));
  });

  describe('on the wire', () => {
    let fake: FakeSlackApi;
    beforeEach(async () => {
      fake = await FakeSlackApi.start();
      fake.addUsers('U42');
    });
    afterEach(async () => {
      await fake.close();
    });

    it('GIVEN the digest is posted THEN the JSON Slack receives has no live mention, and link_names/parse are never sent', async () => {
      const log = createLogger('silent');
      const client = createApiClient({ mode: 'socket', apiUrl: fake.apiUrl, botToken: 'xoxb-test', appToken: 'xapp-test', adminUsers: [] }, log);
      const messenger = createSlackMessenger({ client, log, pacer: new ChannelPacer({ intervalMs: 0 }) });
      await messenger.postDigest('C100', { day: '2025-12-18', papers: [hostile], tagCounts: [['serving', 1]] });
      await messenger.sendAlert('U42', { day: '2025-12-18', papers: [hostile] });
      expect(fake.posted).toHaveLength(3);
      for (const { call } of fake.posted) {
        expect(call.params.link_names).toBeUndefined();
        expect(call.params.parse).toBeUndefined();
        expect(call.params.text).not.toMatch(FOREIGN_CONTROL);
      }
      expectInert(fake.posted.flatMap(({ call }) => textsIn(JSON.parse(call.params.blocks ?? '[]'))));
    });
  });
});
