import type { App } from '../src/app.ts';
import type { Platform } from '../src/domain/delivery.ts';
import type { Reply } from '../src/domain/reply.ts';
import type { TagVocabulary } from '../src/domain/tags.ts';
import type { Logger } from '../src/log.ts';
import type { Database } from '../src/store/db.ts';
import type { SimilarPapers } from '../src/store/similar-papers.ts';
import { createVoteLimiter, type VoteLimiter } from './vote-limiter.ts';

/** Who is calling, as the adapter established it. Commands trust it; adapters must not guess. */
export type Caller = {
  readonly platform: Platform;
  readonly userId: string;
  readonly displayName: string;
  /** Where the command was typed; null in places without a channel. */
  readonly channelId: string | null;
  /** Whether this person may change the channel's settings (Slack admin/owner or listed, Discord Manage Channels or role). */
  readonly canAdministerChannel: boolean;
  /** The person's IANA time zone when the platform tells (Slack does, Discord does not). */
  readonly timeZone: string | null;
};

/** What commands use; built once from the App by `commandServices`. */
export type CommandServices = {
  readonly db: Database;
  readonly vocabulary: TagVocabulary;
  /** DIGEST_TIMEZONE: dates for callers whose zone is unknown. */
  readonly timeZone: string;
  /** DIGEST_CRON, for /digest status. */
  readonly digestCron: string;
  /** Channels that get the digest from configuration (SLACK_DIGEST_CHANNELS, DISCORD_DIGEST_CHANNELS). */
  readonly configuredDigestChannels: (platform: Platform) => readonly string[];
  readonly log: Logger;
  /** Tags for a paper the group's votes bring into the archive (the offline filter's tagger). */
  readonly tagsFor: (title: string, abstract?: string) => string[];
  /** How fast one person may vote (in memory, per adapter: people are per platform). */
  readonly voteLimiter: VoteLimiter;
  /** `/papers like:`: the nearest papers to one paper. */
  readonly similar: SimilarPapers;
};

export type CommandContext = {
  readonly caller: Caller;
  readonly now: () => Date;
  readonly services: CommandServices;
};

/** What the person typed after the command name; `cursor` when they asked for the next page. */
export type CommandInput = { readonly text: string; readonly cursor?: string | null };

/**
 * How an adapter should offer an option: `tags` = the vocabulary, `subscriptions` = the caller's own
 * subscriptions, `digest` = here/off/status then tags, `commands` = command names, `query` = tags and time words.
 */
export type AutocompleteHint = 'tags' | 'subscriptions' | 'digest' | 'commands' | 'query';

export type CommandOption = {
  readonly name: string;
  readonly type: 'string';
  /** At most 100 characters (Discord's limit). */
  readonly description: string;
  readonly required: boolean;
  readonly autocomplete: AutocompleteHint | null;
  readonly maxLength: number;
};

/**
 * A platform-neutral slash command. Adapters register it from these fields (Slack manifest,
 * Discord application commands), translate a call into `run(ctx, input)` and render the Reply.
 * `run` never acknowledges or posts; it returns data. Every option is one free-text string: the
 * commands parse their own small languages so Slack (one text field) and Discord read the same.
 */
export type Command = {
  /** Lower case, at most 32 characters of [a-z0-9-] (Slack and Discord both accept it). */
  readonly name: string;
  readonly aliases: readonly string[];
  /** One line, at most 100 characters. */
  readonly description: string;
  /** Slack's usage hint, e.g. `[tags] [dates] [words]`. */
  readonly usage: string;
  /** Complete invocations (without the leading slash), shown by /papers-help. */
  readonly examples: readonly string[];
  readonly options: readonly CommandOption[];
  run(ctx: CommandContext, input: CommandInput): Promise<Reply>;
  /** Suggestions for what the person is typing, for adapters that autocomplete (at most 25). */
  complete?(ctx: CommandContext, partial: string): Promise<readonly string[]>;
};

export function commandServices(app: App): CommandServices {
  return {
    db: app.db,
    vocabulary: app.vocabulary,
    timeZone: app.config.DIGEST_TIMEZONE,
    digestCron: app.config.DIGEST_CRON,
    configuredDigestChannels: (platform) =>
      platform === 'slack' ? app.config.SLACK_DIGEST_CHANNELS : platform === 'discord' ? app.config.DISCORD_DIGEST_CHANNELS : [],
    log: app.log.child({ module: 'commands' }),
    tagsFor: app.classify.keywords.tagsFor,
    voteLimiter: createVoteLimiter(),
    similar: app.similar,
  };
}

/** The caller's zone when it is a real IANA zone, else the configured one. */
export function callerTimeZone(ctx: CommandContext): string {
  const zone = ctx.caller.timeZone;
  if (!zone) return ctx.services.timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return ctx.services.timeZone;
  }
}

/** One free-text option, the shape every command uses. */
export function textOption(name: string, description: string, autocomplete: AutocompleteHint | null, required = false): CommandOption {
  return { name, type: 'string', description, required, autocomplete, maxLength: 500 };
}

/** Strips backticks from untrusted text before it goes into a code span (see Reply). */
export function codeSafe(text: string): string {
  return text.replaceAll('`', 'ʼ');
}
