import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import type { RunningPart } from '../../../src/cli/serve-part.ts';
import { parseQuery } from '../../../src/domain/query.ts';
import { importReadme } from '../../../src/pipeline/import-readme.ts';
import { slackPart } from '../../../src/platforms/slack/slack-part.ts';
import { getChannelDigest } from '../../../src/store/channels.ts';
import { searchPapers } from '../../../src/store/search.ts';
import { listSubscriptions } from '../../../src/store/subscriptions.ts';
import { blocksOf, FakeSlackApi, type ResponseUrlPost } from '../../fakes/slack-api.ts';
import { buttonPressPayload, slashCommandPayload } from '../../fakes/slack-signing.ts';
import { FakeSlackSocket } from '../../fakes/slack-socket.ts';
import { captureStream, fixedClock, openTestApp } from '../../helpers/test-app.ts';

const seed = readFileSync(new URL('../../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');

type Button = { action_id: string; value: string; text: { text: string } };

/** The arXiv ids of the papers in a reply, in order (from the linked titles). */
function paperIds(response: ResponseUrlPost): string[] {
  return blocksOf(response)
    .filter((block) => (block as { type: string }).type === 'section')
    .flatMap((block) => [...JSON.stringify(block).matchAll(/arxiv\.org\/abs\/(\d{4}\.\d{4,5})v\d+\|/g)].map((match) => match[1] as string));
}

function buttons(response: ResponseUrlPost): Button[] {
  return blocksOf(response).flatMap((block) => ((block as { type: string }).type === 'actions' ? (block as { elements: Button[] }).elements : []));
}

/**
 * The Slack part of `serve` as it runs in production — the real command registry over a seeded
 * archive — driven through Socket Mode (the default) by a fake socket and a fake Web API.
 */
describe('Slack with the real commands over the seeded archive', () => {
  let app: App;
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let part: RunningPart | null;
  let responseNumber = 0;

  beforeEach(async () => {
    api = await FakeSlackApi.start();
    socket = await FakeSlackSocket.start();
    api.socket = socket;
    api.users.set('UADMIN', { id: 'UADMIN', is_admin: true, tz: 'Asia/Shanghai' });
    api.users.set('UMEMBER', { id: 'UMEMBER', tz: 'Asia/Shanghai' });
    app = await openTestApp({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: api.apiUrl }, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, app.now);
    const controller = new AbortController();
    part = await slackPart.start({
      app,
      io: { env: {}, stdout: captureStream().stream, stderr: captureStream().stream, stdin: Readable.from([]) },
      signal: controller.signal,
      requestStop: () => controller.abort(),
      messengers: [],
    });
  });
  afterEach(async () => {
    await part?.stop();
    await socket.close();
    await api.close();
    await app.close();
  });

  /** Sends an envelope and waits for the bot's ack and then its answer on the response_url. */
  async function exchange(type: 'slash_commands' | 'interactive', payload: (responseUrl: string) => Record<string, unknown>): Promise<ResponseUrlPost> {
    responseNumber += 1;
    const id = `r${responseNumber}`;
    const ack = await socket.deliver(type, payload(api.responseUrl(id)));
    expect(ack.envelope_id).toMatch(/^[0-9a-f-]{36}$/);
    const responses = await api.waitForResponses(api.responses.length + 1);
    const response = responses.at(-1) as ResponseUrlPost;
    expect(response.id).toBe(id);
    return response;
  }

  const command = (name: string, text: string, user = 'UMEMBER') =>
    exchange('slash_commands', (response_url) => slashCommandPayload({ command: `/${name}`, text, user_id: user, channel_id: 'C100', response_url }));

  /** A click as Slack sends it: on a reply everyone sees, the payload carries that message (`is_ephemeral: false`). */
  const press = (button: Button, user = 'UMEMBER', on?: ResponseUrlPost) =>
    exchange('interactive', (response_url) =>
      buttonPressPayload(
        { action_id: button.action_id, value: button.value, user_id: user, channel_id: 'C100', response_url },
        on?.body.response_type === 'in_channel' ? { ts: '1766000100.000200', text: String(on.body.text), blocks: blocksOf(on) } : undefined,
      ),
    );

  it('GIVEN the part started THEN it offers its messenger to the delivery job', () => {
    expect(part?.messenger?.platform).toBe('slack');
  });

  it('GIVEN /papers MoE THEN a private page of 8 with More results, Subscribe to MoE and Share buttons', async () => {
    const response = await command('papers', 'MoE');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', text: '`MoE` papers: 1–8 (more below), newest first.' });
    expect(paperIds(response)).toHaveLength(8);
    expect(buttons(response).map((button) => button.text.text)).toEqual(['More results', 'Subscribe to MoE', 'Share in channel']);
  });

  it('GIVEN “More results” pressed page after page THEN every MoE paper of the archive is shown exactly once, in the archive’s order', async () => {
    const everyMoePaper = await searchPapers(app.db, parseQuery('MoE', { vocabulary: app.vocabulary, today: '2025-12-19' }), {
      limit: 1000,
      offset: 0,
      maxPk: null,
    });
    let response = await command('papers', 'MoE');
    const shown = paperIds(response);
    const texts: string[] = [];
    for (let more = buttons(response).find((button) => button.text.text === 'More results'); more; ) {
      response = await press(more);
      expect(response.body.response_type).toBe('ephemeral');
      texts.push(response.body.text as string);
      shown.push(...paperIds(response));
      more = buttons(response).find((button) => button.text.text === 'More results');
    }
    expect(everyMoePaper.papers.length).toBeGreaterThan(16);
    expect(shown).toEqual(everyMoePaper.papers.map((paper) => paper.id));
    expect(texts[0]).toBe('`MoE` papers: 9–16 (more below), newest first.');
    expect(texts.at(-1)).toMatch(/\(the last page\), newest first\.$/);
  });

  it('GIVEN “Subscribe to MoE” pressed THEN the presser follows tag MoE on Slack, and /subscriptions says so', async () => {
    const results = await command('papers', 'MoE');
    const subscribe = buttons(results).find((button) => button.text.text === 'Subscribe to MoE') as Button;
    const response = await press(subscribe);
    expect(response.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Added tag `MoE`\./) });
    const stored = await listSubscriptions(app.db, { platform: 'slack', userId: 'UMEMBER' });
    expect(stored.map((subscription) => [subscription.kind, subscription.value])).toEqual([['tag', 'MoE']]);
    const listed = await command('subscriptions', '');
    expect(listed.body.text).toMatch(/^You follow 1 of at most 100: tag `MoE`\./);
  });

  it('GIVEN /digest here from a member who is not an admin THEN it is refused privately and nothing is stored', async () => {
    const response = await command('digest', 'here MoE', 'UMEMBER');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only people who can manage this channel') });
    expect(await getChannelDigest(app.db, { platform: 'slack', channelId: 'C100' })).toBeNull();
  });

  it('GIVEN /digest here MoE from a workspace admin THEN the channel gets the MoE digest and the channel is told', async () => {
    const response = await command('digest', 'here moe', 'UADMIN');
    expect(response.body).toMatchObject({
      response_type: 'in_channel',
      text: expect.stringContaining('set this channel to get the daily digest of papers tagged `MoE`'),
    });
    expect(await getChannelDigest(app.db, { platform: 'slack', channelId: 'C100' })).toMatchObject({ enabled: true, tags: ['MoE'] });
    const status = await command('digest', 'status', 'UMEMBER');
    expect(status.body.text).toMatch(/^This channel gets the daily digest of papers tagged `MoE`/);
  });

  it('GIVEN /papers … public and then Share in channel THEN both post the results for the channel', async () => {
    const shared = await command('papers', 'serving last week public');
    expect(shared.body.response_type).toBe('in_channel');
    expect(buttons(shared).map((button) => button.text.text)).not.toContain('Share in channel');
    const mine = await command('papers', 'serving last week');
    const share = buttons(mine).find((button) => button.text.text === 'Share in channel') as Button;
    const reposted = await press(share, 'UMEMBER', mine);
    expect(reposted.body.response_type).toBe('in_channel');
    expect(paperIds(reposted)).toEqual(paperIds(mine));
  });

  it('GIVEN More results pressed on a public reply THEN the next page goes to the presser alone, and the ack carries nothing Slack would drop', async () => {
    const shared = await command('papers', 'MoE public');
    const more = buttons(shared).find((button) => button.text.text === 'More results') as Button;
    const next = await press(more, 'UADMIN', shared);
    expect(next.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: '`MoE` papers: 9–16 (more below), newest first.' });
    const click = socket.acks.find((ack) => ack.type === 'interactive');
    expect(click?.acceptsResponsePayload).toBe(false);
    expect(click?.ack.payload ?? {}).toEqual({});
    for (const ack of socket.acks) expect(ack.ms).toBeLessThan(3000);
  });

  it('GIVEN an archived paper whose title and TL;DR carry Slack control sequences THEN /papers shows them as inert text', async () => {
    const hostile = [
      '### 2025-12-18',
      '* `MoE` [Zzqx routing <!channel> for <@U123> and <https://evil.example|click here>](http://arxiv.org/abs/2512.99999v1)',
      '  > **TL;DR**: Experts <!here> & <!subteam^S1> get <https://evil.example/x|free GPUs>.',
    ].join('\n');
    await importReadme(app.db, hostile, app.vocabulary, app.now);
    const response = await command('papers', 'zzqx');
    expect(paperIds(response)).toEqual(['2512.99999']);
    const sent = JSON.stringify(response.body);
    for (const control of ['<!channel>', '<!here>', '<@U123>', '<!subteam', '<https://evil']) expect(sent).not.toContain(control);
    expect(sent).toContain('&lt;!channel&gt;');
    expect(sent).toContain('Experts &lt;!here&gt; &amp; &lt;!subteam^S1&gt;');
  });

  it('GIVEN /papers-help THEN every command is explained', async () => {
    const response = await command('papers-help', '');
    const shown = JSON.stringify(blocksOf(response));
    for (const name of ['/papers', '/subscribe', '/unsubscribe', '/subscriptions', '/digest']) expect(shown).toMatch(new RegExp(`\`${name}[ \`]`));
  });

  it('GIVEN a More results button naming a command the bot does not have THEN a private note and no error', async () => {
    const response = await press({ action_id: 'papers_more', value: JSON.stringify({ command: 'shutdown', cursor: 'x' }), text: { text: 'More results' } });
    expect(response.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('not available') });
  });

  it('GIVEN a forged cursor THEN the person is told plainly, privately', async () => {
    const response = await press({
      action_id: 'papers_more',
      value: JSON.stringify({ command: 'papers', cursor: 'p1.bm90LWpzb24' }),
      text: { text: 'More results' },
    });
    expect(response.body).toMatchObject({ response_type: 'ephemeral', text: 'That page of results has expired or was altered; please run the search again.' });
  });
});
