import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../src/domain/delivery.ts';
import type { PaperView } from '../../src/domain/reply.ts';
import { createLogger } from '../../src/log.ts';
import { createConsoleMessenger } from '../../src/platforms/console/console-messenger.ts';
import { createDiscordMessenger } from '../../src/platforms/discord/discord-messenger.ts';
import { createDiscordRest } from '../../src/platforms/discord/discord-rest.ts';
import { renderAlert as renderDiscordAlert } from '../../src/platforms/discord/render-delivery.ts';
import { ChannelPacer } from '../../src/platforms/slack/channel-pacer.ts';
import { createApiClient } from '../../src/platforms/slack/create-slack-app.ts';
import { renderAlert as renderSlackAlert } from '../../src/platforms/slack/render-alert.ts';
import { createSlackMessenger } from '../../src/platforms/slack/slack-messenger.ts';
import { FakeDiscord } from '../fakes/discord/fake-discord.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { captureStream } from '../helpers/test-app.ts';
import { paperView, textsIn } from './slack/slack-test-kit.ts';

/** The liked paper's title and the paper's own words: arXiv text, as hostile as it gets on each platform. */
const TRICKS = '<!channel> <@U123> <https://evil.example|click> @everyone <@&1100000000000000200> **bold** [link](https://evil.example) `code` \u001b[2J\u202e';
const pick: PaperView = paperView(9, {
  title: 'Paged KV cache offloading',
  pick: { like: { id: '2512.10007', title: `Liked ${TRICKS}` }, words: [`KV cache ${TRICKS}`, 'MoE'] },
});
const matched: PaperView = paperView(1, { reasons: ['MoE'] });
const ALERT: AlertMessage = { day: '2025-12-18', papers: [matched], picks: [pick] };

describe('"Picked for you" on each platform', () => {
  it('GIVEN picks in an alert THEN Slack shows them under their heading after the matches, each with why, every string escaped', () => {
    const messages = renderSlackAlert(ALERT);
    expect(messages[0]?.text).toBe('1 new paper for your subscriptions, and 1 paper picked for you · 2025-12-18');
    const texts = messages.flatMap((message) => textsIn(message.blocks));
    const heading = texts.findIndex((text) => text.startsWith('*Picked for you*'));
    const matchedAt = texts.findIndex((text) => text.includes('because you follow MoE'));
    expect(matchedAt).toBeGreaterThan(-1);
    expect(heading).toBeGreaterThan(matchedAt);
    const why = texts.find((text) => text.includes('picked for you: like')) as string;
    expect(why).toContain('picked for you: like “Liked &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
    for (const text of texts) expect(text).not.toMatch(/<(?!https:\/\/arxiv\.org\/(?:abs|pdf)\/2512\.\d{5}v\d\|)/);
    expect(renderSlackAlert({ day: '2025-12-18', papers: [], picks: [pick] })[0]?.text).toBe('1 new paper picked for you · 2025-12-18');
  });

  it('GIVEN picks in an alert THEN Discord adds them as embeds with a “Picked for you” field, markdown and mentions escaped, pings off', () => {
    const messages = renderDiscordAlert(ALERT);
    expect(messages[0]?.content).toContain('1 new paper matching your subscriptions; 1 paper picked for you by your 👍 and 👎.');
    const embeds = messages.flatMap((message) => message.embeds ?? []);
    expect(embeds).toHaveLength(2);
    const field = embeds[1]?.fields?.find((candidate) => candidate.name === 'Picked for you');
    expect(field?.value).toContain(
      'like “Liked \\<!channel> \\<@U123> \\<https://evil.example\\|click> @everyone \\<@&1100000000000000200> \\*\\*bold\\*\\* \\[link\\](https://evil.example) \\`code\\`',
    );
    for (const message of messages) expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(renderDiscordAlert({ day: '2025-12-18', papers: [], picks: [pick] })[0]?.content).toMatch(
      /^\*\*Your arXiv alert for 2025-12-18\*\*: 1 paper picked for you/,
    );
  });

  it('GIVEN picks in an alert THEN the console prints them after the matches with why, terminal controls removed', async () => {
    const out = captureStream();
    expect(await createConsoleMessenger(out.stream).sendAlert('console', ALERT)).toEqual({ ok: true });
    const text = out.text();
    expect(text).toContain('Thursday 2025-12-18: 1 new paper for you; 1 paper picked for you.');
    expect(text).toMatch(/because you follow MoE\n\nPicked for you by your 👍 and 👎 \(`\/unsubscribe picks` stops them\):\n\n2\. Paged KV cache offloading\n/);
    expect(text).toMatch(/picked for you: like “Liked <!channel>/);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
  });

  describe('on the wire', () => {
    let slack: FakeSlackApi;
    let discord: FakeDiscord;
    beforeEach(async () => {
      slack = await FakeSlackApi.start();
      slack.addUsers('U42');
      discord = await FakeDiscord.start();
    });
    afterEach(async () => {
      await slack.close();
      await discord.close();
    });

    it('GIVEN an alert with picks THEN Slack and Discord accept the DM, and what they receive carries the why inert', async () => {
      const log = createLogger('silent');
      const client = createApiClient({ mode: 'socket', apiUrl: slack.apiUrl, botToken: 'xoxb-test', appToken: 'xapp-test', adminUsers: [] }, log);
      const slackMessenger = createSlackMessenger({ client, log, pacer: new ChannelPacer({ intervalMs: 0 }) });
      expect(await slackMessenger.sendAlert('U42', ALERT)).toMatchObject({ ok: true });
      const slackTexts = slack.posted.flatMap(({ call }) => textsIn(JSON.parse(call.params.blocks ?? '[]')));
      expect(slackTexts.join('\n')).toContain('picked for you: like “Liked &lt;!channel&gt;');

      const discordMessenger = createDiscordMessenger({ rest: createDiscordRest(discord.apiUrl, discord.token), log, attempts: 1, retryBaseMs: 1 });
      expect(await discordMessenger.sendAlert('1100000000000001000', ALERT)).toMatchObject({ ok: true });
      const posted = [...discord.rest.posted.values()].flat();
      const fields = posted.flatMap((message) => (message.embeds as { fields?: { name: string; value: string }[] }[]).flatMap((embed) => embed.fields ?? []));
      expect(fields.find((field) => field.name === 'Picked for you')?.value).toContain('like “Liked \\<!channel>');
      for (const message of posted) expect(message.allowed_mentions).toEqual({ parse: [] });
    });
  });
});
