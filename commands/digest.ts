import type { Platform } from '../src/domain/delivery.ts';
import { UserError } from '../src/domain/errors.ts';
import { lex, normalizeChunk, searchWords } from '../src/domain/query-lexer.ts';
import { readTag } from '../src/domain/query-synonyms.ts';
import type { Reply } from '../src/domain/reply.ts';
import type { TagVocabulary } from '../src/domain/tags.ts';
import { type Channel, disableChannelDigest, enableChannelDigest, getChannelDigest } from '../src/store/channels.ts';
import { type Command, type CommandContext, type CommandInput, codeSafe, textOption } from './command.ts';

export const digestCommand: Command = {
  name: 'digest',
  aliases: [],
  description: 'Daily digest in this channel: here [tags…] turns it on, off turns it off, status shows it',
  usage: 'here [tags…] | off | status',
  examples: ['digest here', 'digest here MoE serving', 'digest off', 'digest status'],
  options: [textOption('setting', 'here [tags…] to post the digest here, off to stop, status to see', 'digest')],
  run: digest,
  async complete(ctx, partial) {
    const words = partial.trimStart().split(/\s+/);
    if (words.length <= 1) return ['here', 'off', 'status'].filter((word) => word.startsWith((words[0] ?? '').toLowerCase()));
    const head = partial.replace(/\S*$/, '');
    const last = partial.slice(head.length).toLowerCase();
    return ctx.services.vocabulary
      .names()
      .filter((name) => name.toLowerCase().startsWith(last))
      .slice(0, 25)
      .map((name) => `${head}${name}`);
  },
};

async function digest(ctx: CommandContext, input: CommandInput): Promise<Reply> {
  const [mode = 'status', ...rest] = input.text.trim().split(/\s+/).filter(Boolean);
  const action = mode.toLowerCase();
  if (action === 'status') return status(ctx);
  if (action !== 'here' && action !== 'off') {
    throw new UserError('Use `/digest here` (optionally with tags: `/digest here MoE serving`), `/digest off` or `/digest status`.');
  }
  const channel = administeredChannel(ctx);
  const editor = { userId: ctx.caller.userId, displayName: ctx.caller.displayName };
  const now = ctx.now().toISOString();
  if (action === 'off') {
    if (rest.length) throw new UserError('`/digest off` takes nothing after it.');
    const changed = await disableChannelDigest(ctx.services.db, channel, editor, now);
    if (!changed) return { text: 'This channel was not getting the daily digest; nothing changed.', private: true };
    return { text: `${codeSafe(ctx.caller.displayName)} turned the daily digest off for this channel.`, private: false };
  }
  const tags = strictTags(rest.join(' '), ctx.services.vocabulary);
  await enableChannelDigest(ctx.services.db, channel, tags, editor, now);
  return { text: `${codeSafe(ctx.caller.displayName)} set this channel to get the daily digest of ${scope(tags)}, ${schedule(ctx)}.`, private: false };
}

async function status(ctx: CommandContext): Promise<Reply> {
  const { channelId, platform } = ctx.caller;
  if (!channelId) throw new UserError('Run `/digest status` in a channel to see its digest setting.');
  const setting = await getChannelDigest(ctx.services.db, { platform, channelId });
  const configured = ctx.services.configuredDigestChannels(platform).includes(channelId);
  const lines: string[] = [];
  if (setting?.enabled) {
    lines.push(`This channel gets the daily digest of ${scope(setting.tags)}, ${schedule(ctx)}.`);
    lines.push(`Set by ${codeSafe(setting.updatedBy.displayName)} on ${setting.updatedAt.slice(0, 10)}.`);
  } else if (setting) {
    lines.push(`The daily digest is off for this channel (turned off by ${codeSafe(setting.updatedBy.displayName)} on ${setting.updatedAt.slice(0, 10)}).`);
  } else {
    lines.push('This channel does not get the daily digest.');
  }
  if (configured) lines.push('It is also listed in the bot’s configuration, which posts the full digest here whatever this setting says.');
  if (!setting?.enabled) lines.push('A channel admin can turn it on with `/digest here`, or only for some tags: `/digest here MoE serving`.');
  return { text: lines.join('\n'), private: true };
}

/** Channel settings are for people the adapter says may administer the channel. */
function administeredChannel(ctx: CommandContext): Channel {
  const { channelId, platform, canAdministerChannel } = ctx.caller;
  if (!channelId) throw new UserError('Run `/digest` in the channel that should get the digest.');
  if (!canAdministerChannel) throw new UserError(`Only people who can manage this channel may change its digest. ${WHO_TO_ASK[platform]}`);
  return { platform, channelId };
}

/** Who can change a channel's digest, in each platform's words (Discord has servers and permissions, not workspaces). */
const WHO_TO_ASK: Record<Platform, string> = {
  slack: 'Ask a channel or workspace admin.',
  discord: 'Ask someone with the Manage Channels permission here, or a server admin.',
  console: 'Ask whoever runs the bot.',
  email: 'Ask whoever runs the bot.',
};

/** Every word must be a tag: a typo in a channel filter would silently empty the digest. */
function strictTags(text: string, vocabulary: TagVocabulary): string[] {
  const chunks = lex(text).map((token) => token.text);
  const lower = chunks.map(normalizeChunk);
  const tags: string[] = [];
  let index = 0;
  while (index < chunks.length) {
    const tag = readTag(lower, index, vocabulary);
    if (!tag) {
      const typed = searchWords(chunks[index] as string).join(' ') || 'that';
      throw new UserError(
        `‘${typed}’ is not a tag. Tags: ${vocabulary
          .names()
          .map((name) => `\`${name}\``)
          .join(' ')}`,
      );
    }
    if (!tags.includes(tag.name)) tags.push(tag.name);
    index += tag.length;
  }
  return tags;
}

function scope(tags: readonly string[]): string {
  return tags.length ? `papers tagged ${tags.map((tag) => `\`${tag}\``).join(' or ')}` : 'all relevant papers';
}

function schedule(ctx: CommandContext): string {
  if (ctx.services.digestCron === 'off') return 'once the daily run is turned on (it is off: DIGEST_CRON=off)';
  return `on the schedule \`${ctx.services.digestCron}\` (${ctx.services.timeZone})`;
}
