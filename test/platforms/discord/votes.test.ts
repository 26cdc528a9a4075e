import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import type { RunningPart } from '../../../src/cli/serve-part.ts';
import type { DigestMessage } from '../../../src/domain/delivery.ts';
import { toPaperView } from '../../../src/domain/paper-view.ts';
import { EMPTY_QUERY } from '../../../src/domain/query.ts';
import { importReadme } from '../../../src/pipeline/import-readme.ts';
import { discordPart } from '../../../src/platforms/discord/discord-part.ts';
import { searchPapers } from '../../../src/store/search.ts';
import { votesOf } from '../../../src/store/votes.ts';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import type { RecordedRequest } from '../../fakes/discord/rest-server.ts';
import { captureStream, fixedClock, openTestApp } from '../../helpers/test-app.ts';

const seed = readFileSync(new URL('../../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');
const EPHEMERAL = 64;
const ADA = '1100000000000001000';
const GRACE = '1100000000000001001';

type Component = { type: number; custom_id: string; label?: string; options?: { value: string; label: string }[]; max_values?: number };
type Callback = { type: number; data: { content?: string; flags?: number; components?: { components: Component[] }[] } };

/**
 * Votes in Discord as `serve` takes them — the real discord.js client and command registry over
 * the seed archive, and a fake Discord that refuses what Discord refuses (components past its
 * limits, reactions to a bot that did not ask for the reactions intent): a digest posted by the
 * messenger (one paper a message, with its buttons), the vote menus of a /papers answer, and
 * 👍/👎 reactions on the digest's messages.
 */
describe('Discord votes: buttons, menus and 👍/👎 reactions', () => {
  let fake: FakeDiscord;
  let app: App;
  let part: RunningPart | null;
  let digest: DigestMessage;
  let posted: Record<string, unknown>[];

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    app = await openTestApp({ DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId }, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    const io = { env: {}, stdout: captureStream().stream, stderr: captureStream().stream, stdin: Readable.from([]) };
    part = await discordPart.start({ app, io, signal: new AbortController().signal, requestStop: () => {}, messengers: [] });
    const newest = await searchPapers(app.db, EMPTY_QUERY, { limit: 3, offset: 0 });
    digest = { day: '2025-12-18', papers: newest.papers.map((paper) => toPaperView(paper)), tagCounts: [] };
    expect((await part?.messenger?.postDigest(fake.channelId, digest))?.ok).toBe(true);
    posted = [...fake.rest.channels.history(fake.channelId)];
  });
  afterEach(async () => {
    await part?.stop();
    await app.close();
    await fake.close();
    expect(fake.rest.refusals()).toEqual([]);
  });

  const paper = (index: number) => digest.papers[index] as (typeof digest.papers)[number];
  const votes = (userId = ADA) => votesOf(app.db, { platform: 'discord', userId });
  const buttonsOf = (message: Record<string, unknown> | undefined) =>
    ((message?.components ?? []) as { components: Component[] }[]).flatMap((row) => row.components);

  /**
   * Waits until the bot has taken every gateway event sent before now, and finished with them: a
   * command sent after them is answered (discord.js handles a connection's events in order), then
   * stopping the bot lets what is still in flight finish.
   */
  async function settle(): Promise<void> {
    const sent = fake.interact('interaction-papers-command', (payload) => {
      payload.data = { id: '1200000000000000009', name: 'papers-help', type: 1, options: [] };
    });
    await fake.rest.waitFor((request) => request.path.includes(`/${String(sent.token)}/`));
    await part?.stop();
  }

  /** A component interaction on a message, answered: the first answer Discord got. */
  async function use(
    message: Record<string, unknown> | undefined,
    data: { custom_id: string; component_type: number; values?: string[] },
    user = ADA,
  ): Promise<Callback> {
    const sent = fake.interact('interaction-vote-select', (payload) => {
      payload.data = data;
      payload.message = { ...(payload.message as object), ...(message ?? {}) };
      ((payload.member as Record<string, unknown>).user as Record<string, unknown>).id = user;
    });
    const answer: RecordedRequest = await fake.rest.waitFor((request) => request.path.includes(`/${String(sent.token)}/`));
    return answer.body as unknown as Callback;
  }

  it('GIVEN a digest THEN each paper is a message of its own with 👍 / 👎 / more like this / take-back buttons naming it', () => {
    expect(posted).toHaveLength(4);
    for (const [index, message] of posted.slice(1).entries()) {
      expect(buttonsOf(message).map((button) => [button.label, button.custom_id])).toEqual([
        ['👍 Relevant', `lp:vote:r:d:${paper(index).id}`],
        ['👎 Not relevant', `lp:vote:n:d:${paper(index).id}`],
        ['🔎 More like this', `lp:like:${paper(index).id}`],
        ['↩ Take back my vote', `lp:vote:c:d:${paper(index).id}`],
      ]);
    }
  });

  it('GIVEN 👎 pressed on a digest paper THEN the vote is stored as cast from the digest and only the presser is told what changed; take-back removes it', async () => {
    const [, down, , back] = buttonsOf(posted[2]);
    const answer = await use(posted[2], { custom_id: down?.custom_id ?? '', component_type: 2 });
    expect(answer).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(answer.data.content).toBe(
      `Marked “${paper(1).title}” not relevant. The group: 0 relevant, 1 not. The group now marks it not relevant: it leaves the web page and the feeds.`,
    );
    expect(await votes()).toEqual([expect.objectContaining({ paperId: paper(1).id, value: 'not-relevant', source: 'digest' })]);

    const undone = await use(posted[2], { custom_id: back?.custom_id ?? '', component_type: 2 });
    expect(undone.data.content).toMatch(/^Took back your vote on “.*” \(was: not relevant\)\. No votes on it now\.$/);
    expect(await votes()).toEqual([]);
  });

  it('GIVEN a /papers answer THEN its messages carry vote menus for their papers; picking two marks both, cast from a search, in one private answer', async () => {
    const sent = fake.interact('interaction-papers-command', (payload) => {
      payload.data = { id: '1200000000000000009', name: 'papers', type: 1, options: [{ name: 'query', type: 3, value: 'MoE' }] };
    });
    const answer = (await fake.rest.waitFor((request) => request.path.includes(`/${String(sent.token)}/`))).body as unknown as Callback;
    const rows = answer.data.components ?? [];
    const [relevant, notRelevant, like] = rows.map((row) => row.components[0] as Component);
    expect(rows).toHaveLength(4);
    expect([relevant?.custom_id, notRelevant?.custom_id, like?.custom_id, like?.max_values]).toEqual(['lp:votes:r:s', 'lp:votes:n:s', 'lp:likes:s', 1]);
    expect(relevant?.options).toHaveLength(8);
    expect(relevant?.max_values).toBe(8);

    const picked = (relevant?.options ?? []).slice(0, 2).map((option) => option.value);
    const voted = await use(undefined, { custom_id: 'lp:votes:r:s', component_type: 3, values: picked });
    expect(voted.data.content?.split('\n')).toEqual([
      expect.stringMatching(/^Marked .* relevant\. The group: 1 relevant, 0 not\.$/),
      expect.stringMatching(/^Marked .* relevant\./),
    ]);
    expect((await votes()).map((vote) => [vote.paperId, vote.source]).sort()).toEqual(picked.map((id) => [id, 'search']).sort());
  });

  it('GIVEN an alert DM with picks THEN its menus vote in the DM, cast from an alert, answered privately', async () => {
    const alert = { day: '2025-12-18', papers: [paper(0)], picks: [{ ...paper(1), pick: { like: null, words: ['MoE'] } }] };
    expect((await part?.messenger?.sendAlert(ADA, alert))?.ok).toBe(true);
    const dm = String(fake.rest.channels.openDm(ADA).id);
    const [message] = fake.rest.channels.history(dm);
    const menu = buttonsOf(message).find((component) => component.custom_id === 'lp:votes:n:a');
    expect(menu?.options?.map((option) => option.value)).toEqual([paper(0).id, paper(1).id]);

    const sent = fake.interact('interaction-dm-command', (payload) => {
      payload.type = 3;
      payload.channel_id = dm;
      payload.channel = { ...(payload.channel as object), id: dm };
      payload.data = { custom_id: 'lp:votes:n:a', component_type: 3, values: [paper(1).id] };
      payload.message = message;
    });
    const answer = (await fake.rest.waitFor((request) => request.path.includes(`/${String(sent.token)}/`))).body as unknown as Callback;
    expect(answer).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(answer.data.content).toMatch(/^Marked “.*” not relevant\. The group: 0 relevant, 1 not\./);
    expect(await votes()).toEqual([expect.objectContaining({ paperId: paper(1).id, value: 'not-relevant', source: 'alert' })]);
  });

  it('GIVEN “More like this” (a digest paper’s button, or an answer’s menu) THEN the presser alone gets /papers like:<id>, and nothing is voted', async () => {
    const [, , like] = buttonsOf(posted[1]);
    const fromButton = await use(posted[1], { custom_id: like?.custom_id ?? '', component_type: 2 });
    expect(fromButton.data.flags).toBe(EPHEMERAL);
    expect(fromButton.data.content).toMatch(new RegExp(`^Papers like ${paper(0).id.replace('.', '\\.')} “`));
    const fromMenu = await use(undefined, { custom_id: 'lp:likes:a', component_type: 3, values: [paper(2).id] });
    expect(fromMenu.data.content).toMatch(new RegExp(`^Papers like ${paper(2).id.replace('.', '\\.')} “`));
    expect(await app.db.get('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: 0 });
  });

  it('GIVEN forged or stale component ids, or an unknown paper THEN the person is told plainly and nothing is stored', async () => {
    for (const custom_id of ['lp:vote:x:d:2512.16473', 'lp:vote:r:q:2512.16473', 'lp:vote:r:d:not-an-id', 'lp:votes:c:s', 'lp:votes:r:admin']) {
      const answer = await use(undefined, { custom_id, component_type: custom_id.startsWith('lp:votes') ? 3 : 2, values: ['2512.16473'] });
      expect(answer.data).toMatchObject({ content: 'This button has expired. Run the command again.', flags: EPHEMERAL });
    }
    const unknown = await use(undefined, { custom_id: 'lp:votes:n:a', component_type: 3, values: ['2512.99999', 'nonsense'] });
    expect(unknown.data.content?.split('\n')).toEqual([
      'The archive has no paper `2512.99999`, so there is nothing to vote on.',
      '“nonsense” is not an arXiv id: give one such as `2512.16473` or `https://arxiv.org/abs/2512.16473`.',
    ]);
    expect(await app.db.get('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: 0 });
  });

  it('GIVEN 👍 (any skin tone) and 👎 on digest papers THEN they are votes cast by a reaction; taking 👍 off takes it back, unless the person voted 👎 since', async () => {
    const at = (index: number) => String(posted[index + 1]?.id);
    expect(fake.react('add', { userId: ADA, channelId: fake.channelId, messageId: at(0), emoji: '👍🏽' })).toBe(true);
    fake.react('add', { userId: ADA, channelId: fake.channelId, messageId: at(1), emoji: '👍' });
    fake.react('remove', { userId: ADA, channelId: fake.channelId, messageId: at(1), emoji: '👍' });
    fake.react('add', { userId: ADA, channelId: fake.channelId, messageId: at(2), emoji: '👍' });
    fake.react('add', { userId: ADA, channelId: fake.channelId, messageId: at(2), emoji: '👎' });
    fake.react('remove', { userId: ADA, channelId: fake.channelId, messageId: at(2), emoji: '👍' });
    await settle();
    expect(Object.fromEntries((await votes()).map((vote) => [vote.paperId, [vote.value, vote.source]]))).toEqual({
      [paper(0).id]: ['relevant', 'reaction'],
      [paper(2).id]: ['not-relevant', 'reaction'],
    });
    // The bot read each message once, to learn its paper.
    expect(fake.rest.requests.filter((request) => request.method === 'GET' && /\/messages\/\d+$/.test(request.path))).toHaveLength(3);
  });

  it('GIVEN reactions that are not votes (the header, another emoji, the bot itself) THEN nothing is stored', async () => {
    fake.react('add', { userId: ADA, channelId: fake.channelId, messageId: String(posted[0]?.id), emoji: '👍' });
    fake.react('add', { userId: ADA, channelId: fake.channelId, messageId: String(posted[1]?.id), emoji: '🎉' });
    fake.react('add', { userId: fake.bot.id, channelId: fake.channelId, messageId: String(posted[1]?.id), emoji: '👍' });
    // A vote that does count, after them: the ones before it were looked at by then.
    fake.react('add', { userId: GRACE, channelId: fake.channelId, messageId: String(posted[2]?.id), emoji: '👍' });
    await settle();
    expect(await votes(GRACE)).toHaveLength(1);
    await app.db.run('DELETE FROM votes WHERE user_id = ?', [GRACE]);
    expect(await app.db.get('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: 0 });
  });

  it('GIVEN a person toggling 👍 101 times THEN only the first 30 count (so no vote stands), and someone else is not held up', async () => {
    const message = String(posted[1]?.id);
    for (let toggle = 0; toggle < 101; toggle++)
      fake.react(toggle % 2 ? 'remove' : 'add', { userId: ADA, channelId: fake.channelId, messageId: message, emoji: '👍' });
    fake.react('add', { userId: GRACE, channelId: fake.channelId, messageId: message, emoji: '👎' });
    await settle();
    expect((await votes()).length).toBe(0);
    expect(await votes(GRACE)).toEqual([expect.objectContaining({ value: 'not-relevant' })]);
  });
});
