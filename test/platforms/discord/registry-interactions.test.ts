import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import type { RunningPart } from '../../../src/cli/serve-part.ts';
import { parseQuery } from '../../../src/domain/query.ts';
import { importReadme } from '../../../src/pipeline/import-readme.ts';
import { discordPart } from '../../../src/platforms/discord/discord-part.ts';
import { getChannelDigest } from '../../../src/store/channels.ts';
import { searchPapers } from '../../../src/store/search.ts';
import { listSubscriptions } from '../../../src/store/subscriptions.ts';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import type { RecordedRequest } from '../../fakes/discord/rest-server.ts';
import { captureStream, fixedClock, openTestApp } from '../../helpers/test-app.ts';

const seed = readFileSync(new URL('../../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');

const EPHEMERAL = 64;
const CALLBACK = { message: 4, update: 7, autocomplete: 8 } as const;
const ADA = '1100000000000001000';
const MANAGE_CHANNELS_ROLE = '1100000000000000200';
/** The fixture member's permissions with Manage Channels added. */
const WITH_MANAGE_CHANNELS = '1760079849582163';

type Callback = { type: number; data: { content?: string; flags?: number; embeds?: { url: string }[]; components?: Row[]; choices?: Choice[] } };
type Row = { components: { label: string; custom_id: string }[] };
type Choice = { name: string; value: string };

/**
 * The Discord part as `serve` starts it — the real discord.js client, the real command registry —
 * over a fake Discord and the seed archive (847 papers).
 */
describe('Discord with the real command registry and a seeded archive', () => {
  let fake: FakeDiscord;
  let app: App;
  let part: RunningPart | null;

  async function start(env: Record<string, string> = {}): Promise<void> {
    app = await openTestApp(
      { DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, ...env },
      { now: clock.now },
    );
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    const io = { env: {}, stdout: captureStream().stream, stderr: captureStream().stream, stdin: Readable.from([]) };
    part = await discordPart.start({ app, io, signal: new AbortController().signal, requestStop: () => {}, messengers: [] });
  }

  /** Sends an interaction and returns the first answer to it. */
  async function interact(fixture: string, change: (payload: Record<string, unknown>) => void): Promise<Callback> {
    const sent = fake.interact(fixture, change);
    const answer: RecordedRequest = await fake.rest.waitFor((request) => request.path.includes(`/${String(sent.token)}/`));
    return answer.body as unknown as Callback;
  }

  const command = (name: string, option: string, value: string, member: Record<string, unknown> = {}) =>
    interact('interaction-papers-command', (payload) => {
      payload.data = { id: '1200000000000000009', name, type: 1, options: [{ name: option, type: 3, value }] };
      Object.assign(payload.member as Record<string, unknown>, member);
    });

  const press = (customId: string) =>
    interact('interaction-more-button', (payload) => {
      (payload.data as Record<string, unknown>).custom_id = customId;
    });

  /** The reply's buttons are its last row (the vote menus come first). */
  const button = (answer: Callback, label: string) => answer.data.components?.at(-1)?.components.find((candidate) => candidate.label === label)?.custom_id;

  beforeEach(async () => {
    part = null;
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await part?.stop();
    await app.close();
    await fake.close();
    expect(fake.rest.refusals()).toEqual([]);
  });

  it('GIVEN /papers MoE THEN "More results" pages through every MoE paper once, each page replacing the last, until the last page', async () => {
    await start();
    const first = await command('papers', 'query', 'MoE');
    expect(first).toMatchObject({ type: CALLBACK.message, data: { flags: EPHEMERAL, content: '`MoE` papers: 1–8 (more below), newest first.' } });
    expect(first.data.components?.at(-1)?.components.map((candidate) => candidate.label)).toEqual(['More results', 'Subscribe to MoE', 'Share in channel']);

    const seen = (first.data.embeds ?? []).map((embed) => embed.url);
    let page = first;
    let pages = 1;
    for (let more = button(page, 'More results'); more; more = button(page, 'More results')) {
      page = await press(more);
      pages++;
      expect(page.type).toBe(CALLBACK.update);
      seen.push(...(page.data.embeds ?? []).map((embed) => embed.url));
    }

    const everyMoE = await searchPapers(app.db, parseQuery('MoE', { vocabulary: app.vocabulary, today: '2025-12-19' }), {
      limit: 10_000,
      offset: 0,
      maxPk: null,
    });
    expect(everyMoE.papers.length).toBeGreaterThan(16);
    expect(seen).toEqual(everyMoE.papers.map((paper) => `https://arxiv.org/abs/${paper.id}v${paper.version}`));
    expect(pages).toBe(Math.ceil(everyMoE.papers.length / 8));
    expect(page.data.content).toMatch(/^`MoE` papers: \d+–\d+ \(the last page\), newest first\.$/);
  });

  it.each([
    ['subscribe', 'what', 'Mo', ['MoE']],
    ['papers', 'query', 'MoE la', ['MoE last week', 'MoE last month', 'MoE last 2 weeks']],
    ['digest', 'setting', 'here ser', ['here serving']],
  ])('GIVEN /%s autocomplete for %j THEN the choices come from the command', async (name, option, typed, expected) => {
    await start();
    const answer = await interact('interaction-subscribe-autocomplete', (payload) => {
      payload.data = { id: '1200000000000000002', name, type: 1, options: [{ name: option, type: 3, value: typed, focused: true }] };
    });
    expect(answer.type).toBe(CALLBACK.autocomplete);
    expect(answer.data.choices).toEqual(expected.map((value) => ({ name: value, value })));
  });

  it('GIVEN the Subscribe button under a result page THEN the presser follows the tag, and is told so privately', async () => {
    await start();
    const results = await command('papers', 'query', 'MoE');
    const subscribe = button(results, 'Subscribe to MoE');
    expect(subscribe).toBe('lp:subscribe:MoE');

    const answer = await press(subscribe as string);
    expect(answer).toMatchObject({ type: CALLBACK.message, data: { flags: EPHEMERAL, content: expect.stringMatching(/^Added tag `MoE`\./) } });
    const followed = await listSubscriptions(app.db, { platform: 'discord', userId: ADA });
    expect(followed.map((subscription) => [subscription.kind, subscription.value])).toEqual([['tag', 'MoE']]);
  });

  it.each([
    ['a member without Manage Channels', {}, {}, false],
    ['a member with Manage Channels', { permissions: WITH_MANAGE_CHANNELS }, {}, true],
    ['a member with DISCORD_ADMIN_ROLE', { roles: [MANAGE_CHANNELS_ROLE] }, { DISCORD_ADMIN_ROLE: MANAGE_CHANNELS_ROLE }, true],
  ])('GIVEN /digest here from %s THEN the channel setting changes only for an admin', async (_label, member, env, allowed) => {
    await start(env);
    const answer = await command('digest', 'setting', 'here', member);
    const setting = await getChannelDigest(app.db, { platform: 'discord', channelId: fake.channelId });
    if (allowed) {
      expect(answer.data.flags).toBeUndefined();
      expect(answer.data.content).toMatch(/^Ada set this channel to get the daily digest of all relevant papers/);
      expect(setting).toMatchObject({ enabled: true, tags: [], updatedBy: { userId: ADA } });
    } else {
      // Discord has servers and the Manage Channels permission, not workspaces.
      expect(answer.data).toEqual(
        expect.objectContaining({
          flags: EPHEMERAL,
          content: 'Only people who can manage this channel may change its digest. Ask someone with the Manage Channels permission here, or a server admin.',
        }),
      );
      expect(setting).toBeNull();
    }
  });

  it('GIVEN the running part THEN its messenger is the Discord one and posts a digest through the same bot', async () => {
    await start();
    expect(part?.messenger?.platform).toBe('discord');
    const result = await part?.messenger?.postDigest(fake.channelId, { day: '2025-12-18', papers: [], tagCounts: [] });
    expect(result).toMatchObject({ ok: true });
    expect(fake.rest.posted.get(fake.channelId)?.[0]?.content).toBe('**arXiv digest for 2025-12-18** — no new papers');
  });
});
