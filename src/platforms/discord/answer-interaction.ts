import { setTimeout as delay } from 'node:timers/promises';
import { type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags, type StringSelectMenuInteraction } from 'discord.js';
import type { DiscordMessage } from './discord-message.ts';

export type Answer = { readonly messages: readonly DiscordMessage[]; readonly private: boolean; readonly hasPapers: boolean };

export type AnswerPlan = {
  /** `reply`: a new message. `update`: replace the message whose button was pressed (a private results page). */
  readonly mode: 'reply' | 'update';
  /** Whether to defer privately when the answer is late: our guess of the answer's privacy. */
  readonly expectPrivate: boolean;
  /** Answer directly when the work is done within this, else defer first (Discord allows 3 s from creation). */
  readonly deferAfterMs: number;
};

/** What we answer: a slash command, a button, a vote menu. */
type Answerable = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

/** Discord's window from the interaction's creation; we defer at least a second before it closes. */
const DISCORD_WINDOW_MS = 3000;
const SAFETY_MS = 1000;
/** What a placeholder says for the moment between its edit and its removal. */
const ANSWERED_PRIVATELY = 'Answered privately.';
const POSTED_BELOW = 'Posted below.';

/**
 * Answers within Discord's 3 seconds: directly when the work finishes in time (one request, right
 * privacy), otherwise a deferral first ("thinking…" or a deferred update) and an edit with the
 * answer. When a late answer's privacy differs from the deferral's, the answer follows up with the
 * right privacy and the placeholder is removed. Extra messages (a long answer) follow up.
 */
export async function answerInteraction(interaction: Answerable, work: Promise<Answer>, plan: AnswerPlan): Promise<void> {
  const budget = Math.max(0, Math.min(plan.deferAfterMs, interaction.createdTimestamp + DISCORD_WINDOW_MS - SAFETY_MS - Date.now()));
  const timer = new AbortController();
  // No time left (the interaction reached us late): take the answer only if it is already there, and defer without waiting a tick.
  const wait = budget > 0 ? delay(budget, null, { signal: timer.signal }).catch(() => null) : Promise.resolve(null);
  const early = await Promise.race([work, wait]);
  timer.abort();
  if (early) return answerNow(interaction, early, plan);
  // The work goes on while we defer; keep a late failure from being unhandled if the deferral throws.
  work.catch(() => {});
  const update = plan.mode === 'update' && interaction.isButton();
  if (update) await interaction.deferUpdate();
  else await interaction.deferReply(plan.expectPrivate ? { flags: MessageFlags.Ephemeral } : {});
  const answer = await work;
  if (update ? answer.hasPapers : answer.private === plan.expectPrivate) {
    await interaction.editReply(body(first(answer)));
    return followUps(interaction, answer, 1);
  }
  if (update) return followUps(interaction, answer, 0);
  // A follow-up straight after a deferral edits the placeholder and keeps its privacy (docs, Create
  // Followup Message), and once the placeholder is deleted it fails with Unknown Message. So the
  // placeholder is settled first, the answer follows up with its own privacy, then the placeholder goes.
  await interaction.editReply({ content: answer.private ? ANSWERED_PRIVATELY : POSTED_BELOW, embeds: [], components: [], allowedMentions: { parse: [] } });
  await followUps(interaction, answer, 0);
  await interaction.deleteReply();
}

async function answerNow(interaction: Answerable, answer: Answer, plan: AnswerPlan): Promise<void> {
  if (plan.mode === 'update' && interaction.isButton() && answer.hasPapers) {
    await interaction.update(body(first(answer)));
  } else {
    await interaction.reply(options(first(answer), answer.private));
  }
  return followUps(interaction, answer, 1);
}

async function followUps(interaction: Answerable, answer: Answer, from: number): Promise<void> {
  for (const message of answer.messages.slice(from)) await interaction.followUp(options(message, answer.private));
}

function first(answer: Answer): DiscordMessage {
  return answer.messages[0] as DiscordMessage;
}

/** discord.js's option shape; `allowedMentions` repeats the Client default so each payload says it. */
function body(message: DiscordMessage) {
  return { content: message.content, embeds: [...message.embeds], components: [...message.components], allowedMentions: { parse: [] } };
}

function options(message: DiscordMessage, ephemeral: boolean) {
  return ephemeral ? { ...body(message), flags: MessageFlags.Ephemeral as const } : body(message);
}
