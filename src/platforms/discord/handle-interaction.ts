import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Interaction,
  MessageFlags,
  RESTJSONErrorCodes,
} from 'discord.js';
import type { Reply } from '../../domain/reply.ts';
import type { Logger } from '../../log.ts';
import type { ActionStore } from './action-store.ts';
import { type Answer, answerInteraction } from './answer-interaction.ts';
import { callerFromInteraction } from './caller-from-interaction.ts';
import type { CommandPort, DiscordCaller } from './command-port.ts';
import { LIMITS } from './discord-limits.ts';
import { renderReply } from './render-reply.ts';
import { parseButton, replyButtons } from './reply-buttons.ts';

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
  const press = parseButton(interaction.customId);
  if (!press) return;
  const caller = callerFromInteraction(interaction, deps.adminRoleId);
  const plan = { mode: 'reply', expectPrivate: true, deferAfterMs: deps.deferAfterMs } as const;
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
