import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Interaction,
  MessageFlags,
  RESTJSONErrorCodes,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { VoteRequest } from '../../../commands/vote-on-paper.ts';
import { moreLikeThis } from '../../domain/paper-actions.ts';
import type { Reply } from '../../domain/reply.ts';
import type { Logger } from '../../log.ts';
import type { ActionStore } from './action-store.ts';
import { type Answer, answerInteraction } from './answer-interaction.ts';
import { callerFromInteraction } from './caller-from-interaction.ts';
import type { CommandPort, DiscordCaller } from './command-port.ts';
import { LIMITS } from './discord-limits.ts';
import { renderReply } from './render-reply.ts';
import { parseButton, replyButtons } from './reply-buttons.ts';
import { parseMoreLikeThis, parseVoteButton, parseVoteSelect } from './vote-components.ts';

export type InteractionDeps = {
  readonly port: CommandPort;
  readonly store: ActionStore;
  readonly log: Logger;
  /** DISCORD_ADMIN_ROLE: a role id that may change channel settings besides Manage Channels. */
  readonly adminRoleId?: string;
  /** Answer directly when a command is done within this; else defer first. */
  readonly deferAfterMs: number;
};

export const SOMETHING_WENT_WRONG = 'Sorry, something went wrong on our side. It has been logged; please try again later.';
const EXPIRED = 'This button has expired. Run the command again.';

/** Turns one Discord interaction into a command call and its Reply into messages. Never throws. */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await autocomplete(interaction, deps);
    else if (interaction.isChatInputCommand()) await slashCommand(interaction, deps);
    else if (interaction.isButton()) await buttonPress(interaction, deps);
    else if (interaction.isStringSelectMenu()) await voteSelect(interaction, deps);
  } catch (error) {
    const expired = error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction;
    const context = { err: error, interactionId: interaction.id, type: interaction.type, userId: interaction.user.id };
    if (expired) deps.log.warn(context, 'discord interaction expired before it was answered');
    else deps.log.error(context, 'discord interaction failed');
  }
}

async function slashCommand(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  const caller = callerFromInteraction(interaction, deps.adminRoleId);
  // Every option is free text; the command parses its own small language, as in Slack.
  const text = interaction.options.data.map((option) => String(option.value ?? '')).join(' ');
  const known = deps.port.commands.some((command) => command.name === interaction.commandName);
  const reply = known ? run(deps, interaction.commandName, caller, { text }) : Promise.resolve({ text: 'This command is no longer offered.', private: true });
  await answerInteraction(interaction, render(reply, deps), { mode: 'reply', expectPrivate: true, deferAfterMs: deps.deferAfterMs });
}

async function buttonPress(interaction: ButtonInteraction, deps: InteractionDeps): Promise<void> {
  const plan = { mode: 'reply', expectPrivate: true, deferAfterMs: deps.deferAfterMs } as const;
  const like = parseMoreLikeThis(interaction.customId);
  if (like) return moreLike(interaction, like, deps);
  const vote = parseVoteButton(interaction.customId);
  if (vote) {
    const request: VoteRequest = { paperId: vote.paperId, value: vote.choice === 'clear' ? null : vote.choice, source: vote.source };
    await answerInteraction(interaction, render(votes(deps, interaction, [request]), deps), plan);
    return;
  }
  const press = parseButton(interaction.customId);
  if (!press) return void (await refuseUnknown(interaction, deps));
  const caller = callerFromInteraction(interaction, deps.adminRoleId);
  if (press.kind === 'subscribe') {
    await answerInteraction(interaction, render(run(deps, 'subscribe', caller, { text: press.tag }), deps), plan);
    return;
  }
  const action = await deps.store.load(press.key);
  if (!action) {
    await answerInteraction(interaction, render(Promise.resolve({ text: EXPIRED, private: true }), deps), plan);
    return;
  }
  if (action.kind === 'more') {
    // A private page is replaced in place; a page someone shared stays, and the next page is for the presser only.
    const inPlace = interaction.message.flags.has(MessageFlags.Ephemeral);
    const reply = run(deps, action.command, caller, { text: '', cursor: action.cursor });
    await answerInteraction(interaction, render(reply, deps), { ...plan, mode: inPlace ? 'update' : 'reply' });
    return;
  }
  const shared = run(deps, action.command, caller, { text: action.input }).then((reply) => publicWhenFound(reply));
  await answerInteraction(interaction, render(shared, deps), { ...plan, expectPrivate: false });
}

/**
 * A pick in a message's "mark relevant…" / "mark not relevant…" menu: one vote per paper picked
 * (several at once are allowed), each checked as a typed id would be, answered in one private reply.
 */
async function voteSelect(interaction: StringSelectMenuInteraction, deps: InteractionDeps): Promise<void> {
  const plan = { mode: 'reply', expectPrivate: true, deferAfterMs: deps.deferAfterMs } as const;
  const like = parseMoreLikeThis(interaction.customId, interaction.values);
  if (like) return moreLike(interaction, like, deps);
  const select = parseVoteSelect(interaction.customId);
  if (!select) return void (await refuseUnknown(interaction, deps));
  const requests = [...new Set(interaction.values)].map((paperId): VoteRequest => ({ paperId, value: select.choice, source: select.source }));
  await answerInteraction(interaction, render(votes(deps, interaction, requests), deps), plan);
}

/** "More like this" on one paper: `/papers like:<id>` for the presser, privately. */
async function moreLike(interaction: ButtonInteraction | StringSelectMenuInteraction, paperId: string, deps: InteractionDeps): Promise<void> {
  const action = moreLikeThis(paperId);
  const reply = run(deps, action.command, callerFromInteraction(interaction, deps.adminRoleId), { text: action.input }).then((answer) => ({
    ...answer,
    private: true,
  }));
  await answerInteraction(interaction, render(reply, deps), { mode: 'reply', expectPrivate: true, deferAfterMs: deps.deferAfterMs });
}

/** The votes one after another (each counts against the person's pace), their answers as one private reply. */
async function votes(deps: InteractionDeps, interaction: ButtonInteraction | StringSelectMenuInteraction, requests: readonly VoteRequest[]): Promise<Reply> {
  const caller = callerFromInteraction(interaction, deps.adminRoleId);
  const lines: string[] = [];
  for (const request of requests) {
    const answer = await deps.port.vote(caller, request);
    if (!lines.includes(answer.reply.text)) lines.push(answer.reply.text);
  }
  return { text: lines.join('\n'), private: true };
}

/** A component this version did not make (an older bot's, or altered): the person is told, nothing runs. */
async function refuseUnknown(interaction: ButtonInteraction | StringSelectMenuInteraction, deps: InteractionDeps): Promise<void> {
  deps.log.warn({ customId: interaction.customId.slice(0, 100), userId: interaction.user.id }, 'discord component not ours');
  await answerInteraction(interaction, render(Promise.resolve({ text: EXPIRED, private: true }), deps), {
    mode: 'reply',
    expectPrivate: true,
    deferAfterMs: deps.deferAfterMs,
  });
}

async function autocomplete(interaction: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  const caller = callerFromInteraction(interaction, deps.adminRoleId);
  const focused = interaction.options.getFocused(true);
  let suggestions: readonly string[] = [];
  try {
    suggestions = await deps.port.complete(interaction.commandName, caller, String(focused.value));
  } catch (error) {
    deps.log.error({ err: error, command: interaction.commandName }, 'discord autocomplete failed');
  }
  const choices = suggestions.filter((suggestion) => suggestion.trim() && suggestion.length <= LIMITS.choiceLength).slice(0, LIMITS.choices);
  await interaction.respond(choices.map((choice) => ({ name: choice, value: choice })));
}

/** Shared results go to the channel; a refusal ("nothing found", a mistake) stays with the presser. */
function publicWhenFound(reply: Reply): Reply {
  return reply.papers?.length ? { ...reply, private: false, actions: reply.actions?.filter((action) => action.kind !== 'share') } : reply;
}

/** The port answers mistakes with a Reply; a throw is a bug: logged, and a generic private answer. */
async function run(deps: InteractionDeps, name: string, caller: DiscordCaller, input: { text: string; cursor?: string }): Promise<Reply> {
  try {
    return await deps.port.run(name, caller, input);
  } catch (error) {
    deps.log.error({ err: error, command: name, userId: caller.userId, channelId: caller.channelId, paging: Boolean(input.cursor) }, 'discord command failed');
    return { text: SOMETHING_WENT_WRONG, private: true };
  }
}

async function render(reply: Promise<Reply>, deps: InteractionDeps): Promise<Answer> {
  const resolved = await reply;
  const buttons = await replyButtons(resolved.actions ?? [], deps.store);
  return { messages: renderReply(resolved, buttons), private: resolved.private, hasPapers: Boolean(resolved.papers?.length) };
}
