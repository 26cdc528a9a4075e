import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import type { RunningPart } from '../../../src/cli/serve-part.ts';
import type { DigestMessage } from '../../../src/domain/delivery.ts';
import { toPaperView } from '../../../src/domain/paper-view.ts';
import { EMPTY_QUERY } from '../../../src/domain/query.ts';
import { createLogger } from '../../../src/log.ts';
import { importReadme } from '../../../src/pipeline/import-readme.ts';
import { ChannelPacer } from '../../../src/platforms/slack/channel-pacer.ts';
import { createApiClient } from '../../../src/platforms/slack/create-slack-app.ts';
import { createSlackMessenger } from '../../../src/platforms/slack/slack-messenger.ts';
import { slackPart } from '../../../src/platforms/slack/slack-part.ts';
import { searchPapers } from '../../../src/store/search.ts';
import { votesOf } from '../../../src/store/votes.ts';
import { blocksOf, FakeSlackApi, type PostedMessage, type ResponseUrlPost } from '../../fakes/slack-api.ts';
import { reactionEvent } from '../../fakes/slack-events.ts';
import { menuPickPayload, slashCommandPayload } from '../../fakes/slack-signing.ts';
import { FakeSlackSocket } from '../../fakes/slack-socket.ts';
import { captureStream, fixedClock, openTestApp } from '../../helpers/test-app.ts';

const seed = readFileSync(new URL('../../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');

type Menu = { action_id: string; options: { text: { text: string }; value: string }[] };

/** The ⋯ menus of a message or reply, in order of its papers. */
function menus(blocks: readonly unknown[]): Menu[] {
  return blocks.flatMap((block) => {
    const accessory = (block as { accessory?: Menu & { type: string } }).accessory;
    return accessory?.type === 'overflow' ? [accessory] : [];
  });
}

/**
 * Votes in Slack as the served bot takes them — the real command core over a seeded archive, Socket
 * Mode from a fake socket, the Web API from a fake that refuses what Slack refuses: a digest posted
 * by the messenger, picks in its papers' ⋯ menus, and 👍/👎 reactions delivered as Slack sends
 * them (only because the manifest subscribes to them and has reactions:read).
 */
describe('Slack votes: the ⋯ menu and 👍/👎 reactions', () => {
  let app: App;
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let part: RunningPart | null;
  let digest: DigestMessage;
  let header: PostedMessage;
  let thread: PostedMessage[];
  let responseNumber = 0;

  beforeEach(async () => {
    api = await FakeSlackApi.start();
    socket = await FakeSlackSocket.start();
    api.socket = socket;
    api.addUsers('UMEMBER', 'UOTHER');
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
    const newest = await searchPapers(app.db, EMPTY_QUERY, { limit: 3, offset: 0 });
    digest = { day: '2025-12-18', papers: newest.papers.map((paper) => toPaperView(paper)), tagCounts: [] };
    // The served bot's own messenger paces posts a second apart; this one posts the same messages at once.
    const log = createLogger('silent');
    const client = createApiClient({ mode: 'socket', apiUrl: api.apiUrl, botToken: 'xoxb-test', appToken: 'xapp-test', adminUsers: [] }, log);
    const messenger = createSlackMessenger({ client, log, pacer: new ChannelPacer({ intervalMs: 0 }) });
    expect((await messenger.postDigest('C100', digest)).ok).toBe(true);
    [header, ...thread] = api.posted as [PostedMessage, ...PostedMessage[]];
  });
  afterEach(async () => {
    await part?.stop();
    await socket.close();
    await api.close();
    await app.close();
  });

  const paper = (index: number) => digest.papers[index] as (typeof digest.papers)[number];
  const votes = (userId = 'UMEMBER') => votesOf(app.db, { platform: 'slack', userId });

  /** Picks an option of a menu on a message everyone sees, and waits for the private answer. */
  async function pick(menu: Menu, label: string, on: PostedMessage | null, user = 'UMEMBER'): Promise<ResponseUrlPost> {
    responseNumber += 1;
    const option = menu.options.find((candidate) => candidate.text.text === label);
    if (!option) throw new Error(`no option ${label}`);
    const message = on ? { ts: on.ts, text: on.text, blocks: blocksOf(on.call) } : undefined;
    await socket.deliver(
      'interactive',
      menuPickPayload(
        {
          action_id: menu.action_id,
          label,
          value: option.value,
          user_id: user,
          channel_id: on?.channel ?? 'C100',
          response_url: api.responseUrl(`r${responseNumber}`),
        },
        message,
      ),
    );
    return (await api.waitForResponses(api.responses.length + 1)).at(-1) as ResponseUrlPost;
  }

  const react = (message: PostedMessage, reaction: string, user = 'UMEMBER', type: 'reaction_added' | 'reaction_removed' = 'reaction_added') =>
    socket.deliverEvent(reactionEvent({ type, user, reaction, channel: message.channel, ts: message.ts }));

  /** Reacts and waits for the private answer in the thread. */
  async function reactAndWait(message: PostedMessage, reaction: string, type: 'reaction_added' | 'reaction_removed' = 'reaction_added') {
    const seen = api.ephemerals.length;
    await react(message, reaction, 'UMEMBER', type);
    return (await api.waitForEphemerals(seen + 1)).at(-1);
  }

  it('GIVEN a digest THEN each paper is its own thread reply with a ⋯ menu: relevant, not relevant, more like this, take back', () => {
    expect(thread).toHaveLength(3);
    for (const [index, reply] of thread.entries()) {
      expect(reply.threadTs).toBe(header.ts);
      expect(reply.metadata?.event_payload).toMatchObject({ paper: paper(index).id });
      expect(menus(blocksOf(reply.call)).map((menu) => menu.options.map((option) => option.text.text))).toEqual([
        ['👍 Relevant', '👎 Not relevant', '🔎 More like this', '↩ Take back my vote'],
      ]);
    }
  });

  it('GIVEN “Not relevant” picked on a digest paper THEN the vote is stored as cast from the digest and only the picker is told what changed', async () => {
    const [menu] = menus(blocksOf((thread[1] as PostedMessage).call)) as [Menu];
    const answer = await pick(menu, '👎 Not relevant', thread[1] as PostedMessage);

    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.body.text).toBe(
      `Marked “${paper(1).title}” not relevant. The group: 0 relevant, 1 not. The group now marks it not relevant: it leaves the web page and the feeds.`,
    );
    expect(await votes()).toEqual([expect.objectContaining({ paperId: paper(1).id, value: 'not-relevant', source: 'digest' })]);

    const [changed, removed] = [
      await pick(menu, '👍 Relevant', thread[1] as PostedMessage),
      await pick(menu, '↩ Take back my vote', thread[1] as PostedMessage),
    ];
    expect(changed.body.text).toMatch(/relevant \(was: not relevant\)\. The group: 1 relevant, 0 not\.$/);
    expect(removed.body.text).toMatch(/^Took back your vote on “.*” \(was: relevant\)\. No votes on it now\.$/);
    expect(await votes()).toEqual([]);
  });

  it('GIVEN a /papers answer THEN its papers have menus too, and a vote there counts as cast from a search', async () => {
    responseNumber += 1;
    await socket.deliver(
      'slash_commands',
      slashCommandPayload({ command: '/papers', text: 'MoE', user_id: 'UMEMBER', channel_id: 'C100', response_url: api.responseUrl(`r${responseNumber}`) }),
    );
    const [results] = await api.waitForResponses(1);
    const found = menus(blocksOf(results as ResponseUrlPost));
    expect(found).toHaveLength(8);
    await pick(found[0] as Menu, '👍 Relevant', null);
    expect(await votes()).toEqual([expect.objectContaining({ value: 'relevant', source: 'search' })]);
  });

  it('GIVEN an alert DM with picks THEN each paper’s menu votes from the DM, cast from an alert', async () => {
    const client = createApiClient(
      { mode: 'socket', apiUrl: api.apiUrl, botToken: 'xoxb-test', appToken: 'xapp-test', adminUsers: [] },
      createLogger('silent'),
    );
    const messenger = createSlackMessenger({ client, log: createLogger('silent'), pacer: new ChannelPacer({ intervalMs: 0 }) });
    const alert = { day: '2025-12-18', papers: [paper(0)], picks: [{ ...paper(1), pick: { like: null, words: ['MoE'] } }] };
    expect((await messenger.sendAlert('UMEMBER', alert)).ok).toBe(true);
    const dm = api.posted.at(-1) as PostedMessage;
    const found = menus(blocksOf(dm.call));
    expect(found).toHaveLength(2);
    await pick(found[1] as Menu, '👎 Not relevant', dm);
    expect(await votes()).toEqual([expect.objectContaining({ paperId: paper(1).id, value: 'not-relevant', source: 'alert' })]);
  });

  it('GIVEN “More like this” picked THEN the picker alone gets /papers like:<id>, and nothing is voted', async () => {
    const [menu] = menus(blocksOf((thread[0] as PostedMessage).call)) as [Menu];
    const answer = await pick(menu, '🔎 More like this', thread[0] as PostedMessage);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.body.text)).toMatch(new RegExp(`^Papers like ${paper(0).id.replace('.', '\\.')} “`));
    expect(menus(blocksOf(answer)).length).toBeGreaterThan(0);
    expect(await app.db.get('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: 0 });
  });

  it('GIVEN a forged or stale menu value THEN the picker is told it no longer works, and nothing is stored', async () => {
    for (const value of ['v1|relevant|digest|2512.99999x', 'v0|relevant|digest|2512.16473', 'v1|delete|digest|2512.16473', 'v1|relevant|admin|2512.16473']) {
      const answer = await pick({ action_id: 'paper_menu', options: [{ text: { text: 'x' }, value }] }, 'x', null);
      expect(answer.body.text).toMatch(/^That menu no longer works/);
    }
    const unknown = await pick({ action_id: 'paper_menu', options: [{ text: { text: 'x' }, value: 'v1|relevant|digest|2512.99999' }] }, 'x', null);
    expect(unknown.body.text).toBe('The archive has no paper `2512.99999`, so there is nothing to vote on.');
    expect(await app.db.get('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: 0 });
  });

  it('GIVEN 👍 on a paper’s thread reply THEN it is a vote on that paper (cast by a reaction), answered privately in the thread; taking it off takes it back', async () => {
    const told = await reactAndWait(thread[0] as PostedMessage, '+1');
    expect(told?.params).toMatchObject({ channel: 'C100', user: 'UMEMBER', thread_ts: header.ts });
    expect(told?.params.text).toBe(`Marked “${paper(0).title}” relevant. The group: 1 relevant, 0 not.`);
    expect(await votes()).toEqual([expect.objectContaining({ paperId: paper(0).id, value: 'relevant', source: 'reaction' })]);

    const untold = await reactAndWait(thread[0] as PostedMessage, '+1', 'reaction_removed');
    expect(untold?.params.text).toMatch(/^Took back your vote on/);
    expect(await votes()).toEqual([]);
  });

  it('GIVEN reactions on two papers of one thread THEN the thread is read once to learn which paper each reply holds', async () => {
    await reactAndWait(thread[0] as PostedMessage, 'thumbsup');
    await reactAndWait(thread[2] as PostedMessage, '-1::skin-tone-3');
    expect((await votes()).map((vote) => [vote.paperId, vote.value])).toEqual(
      expect.arrayContaining([
        [paper(0).id, 'relevant'],
        [paper(2).id, 'not-relevant'],
      ]),
    );
    expect(api.callsTo('conversations.replies')).toHaveLength(1);
    expect(api.callsTo('conversations.replies')[0]?.params).toMatchObject({ channel: 'C100', ts: thread[0]?.ts, include_all_metadata: 'true' });
  });

  it('GIVEN 👍, then “Not relevant” in the menu, then the 👍 taken off THEN the later vote stands and nothing is said about the removal', async () => {
    await reactAndWait(thread[0] as PostedMessage, '+1');
    await pick(menus(blocksOf((thread[0] as PostedMessage).call))[0] as Menu, '👎 Not relevant', thread[0] as PostedMessage);
    await react(thread[0] as PostedMessage, '+1', 'UMEMBER', 'reaction_removed');
    // A reaction that is answered, after the removal: the removal has been handled by then.
    await reactAndWait(thread[1] as PostedMessage, '+1');
    expect((await votes()).find((vote) => vote.paperId === paper(0).id)?.value).toBe('not-relevant');
    expect(api.ephemerals.map((call) => call.params.text)).toEqual([
      expect.stringMatching(/^Marked .* relevant\./),
      expect.stringMatching(/^Marked .* relevant\./),
    ]);
  });

  it('GIVEN reactions that are not votes (the header, another emoji, the bot itself, someone else’s message) THEN nothing is stored or said', async () => {
    await react(header, '+1');
    await react(thread[0] as PostedMessage, 'tada');
    await react(thread[0] as PostedMessage, '+1', 'UBOT');
    const someoneElses = api.addMessage('C100', 'my own take', 'UOTHER');
    await socket.deliverEvent(
      reactionEvent({ type: 'reaction_added', user: 'UMEMBER', reaction: '+1', channel: 'C100', ts: someoneElses.ts, itemUser: 'UOTHER' }),
    );
    await api.waitForCall('conversations.replies');
    await reactAndWait(thread[1] as PostedMessage, '+1');
    expect((await votes()).map((vote) => vote.paperId)).toEqual([paper(1).id]);
    expect(await votes('UBOT')).toEqual([]);
    expect(api.ephemerals).toHaveLength(1);
  });

  it('GIVEN 👍 from another app’s bot user (users.info says is_bot) THEN it is not a vote, and a person’s 👍 still is', async () => {
    api.users.set('UOTHERBOT', { id: 'UOTHERBOT', is_bot: true });
    await react(thread[0] as PostedMessage, '+1', 'UOTHERBOT');
    await reactAndWait(thread[1] as PostedMessage, '+1');
    expect(await votes('UOTHERBOT')).toEqual([]);
    expect((await votes()).map((vote) => vote.paperId)).toEqual([paper(1).id]);
    expect(api.ephemerals.map((call) => call.params.user)).toEqual(['UMEMBER']);
  });

  it('GIVEN a person toggling 👍 a hundred times in a minute THEN at most 30 count, they are told once that the rest do not, and the archive holds one vote at most', async () => {
    for (let toggle = 0; toggle < 100; toggle++) await react(thread[0] as PostedMessage, '+1', 'UMEMBER', toggle % 2 ? 'reaction_removed' : 'reaction_added');
    // Stopping lets every vote in flight finish (its answer included) before the archive is read.
    await part?.stop();
    const texts = api.ephemerals.map((call) => call.params.text ?? '');
    expect(texts.filter((text) => text.startsWith('That is a lot of votes'))).toHaveLength(1);
    expect(texts.length).toBeLessThanOrEqual(31);
    expect(texts.filter((text) => /^(Marked|Took back)/.test(text)).length).toBeGreaterThan(0);
    expect(api.callsTo('conversations.replies')).toHaveLength(1);
    // Whether the reactor is a bot is asked once for the whole burst.
    expect(api.callsTo('users.info')).toHaveLength(1);
    expect(await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: (await votes()).length });
    expect((await votes()).length).toBeLessThanOrEqual(1);
  });
});
