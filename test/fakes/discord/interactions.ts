import type { FakeChannels } from './channels.ts';
import { DISCORD_ERRORS, type FakeResponse, fieldError, invalidFormBody } from './discord-errors.ts';
import { snowflakeTime } from './snowflakes.ts';
import { isEmptyMessage, refuseMessage } from './validate-message.ts';

type Json = Record<string, unknown>;

/** Discord's windows: the first answer within 3 s of creation, the token good for 15 minutes. */
export const ANSWER_WINDOW_MS = 3000;
export const TOKEN_LIFETIME_MS = 15 * 60_000;

const EPHEMERAL = 64;
const LOADING = 128;
const TYPE = { command: 2, component: 3, autocomplete: 4, modal: 5 } as const;
const CALLBACK = { message: 4, deferredMessage: 5, deferredUpdate: 6, update: 7, autocomplete: 8, modal: 9 } as const;
const KNOWN_CALLBACKS = [1, 4, 5, 6, 7, 8, 9, 10, 11, 12];
/** Which answers fit which interaction (docs receiving-and-responding.mdx, "Interaction Callback Type"). */
const FITTING: Record<number, readonly number[]> = {
  [TYPE.command]: [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.modal],
  [TYPE.component]: [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.deferredUpdate, CALLBACK.update, CALLBACK.modal],
  [TYPE.autocomplete]: [CALLBACK.autocomplete],
  [TYPE.modal]: [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.deferredUpdate, CALLBACK.update],
};

type Interaction = {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly channelId: string;
  readonly user: Json;
  /** The message a component sits on (what type 6/7 answers update). */
  readonly message?: Json;
  callback?: number;
  /** The answer message `@original` names; null after a delete. */
  original?: Json | null;
  /** True from a type-5 deferral until @original is edited: a follow-up then edits @original instead. */
  loading: boolean;
  readonly followUps: Map<string, Json>;
};

/**
 * Interactions as Discord holds them: one initial answer per interaction, within 3 seconds of its
 * creation (read from its id), of a type that fits it; then the webhook with its token for 15
 * minutes: `@original`, follow-ups and their edits. Mirrors the documented rules and the errors
 * bots meet (10062, 40060, 10015, 10008, 50027).
 */
export class FakeInteractions {
  readonly #byId = new Map<string, Interaction>();
  readonly #byToken = new Map<string, Interaction>();
  readonly #channels: FakeChannels;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(channels: FakeChannels, applicationId: string, now: () => number) {
    this.#channels = channels;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  /** An INTERACTION_CREATE about to be dispatched: from now on the bot may answer it. */
  register(payload: Json): void {
    const member = payload.member as Json | undefined;
    const interaction: Interaction = {
      id: String(payload.id),
      token: String(payload.token),
      type: Number(payload.type),
      channelId: String(payload.channel_id),
      user: (member?.user ?? payload.user ?? {}) as Json,
      message: payload.message as Json | undefined,
      loading: false,
      followUps: new Map(),
    };
    this.#byId.set(interaction.id, interaction);
    this.#byToken.set(interaction.token, interaction);
  }

  /** POST /interactions/{id}/{token}/callback. */
  callback(id: string, token: string, body: Json, withResponse: boolean): FakeResponse {
    const interaction = this.#byId.get(id);
    if (!interaction || interaction.token !== token || this.#now() - snowflakeTime(id) > ANSWER_WINDOW_MS) return DISCORD_ERRORS.unknownInteraction;
    if (interaction.callback !== undefined) return DISCORD_ERRORS.alreadyAcknowledged;
    const type = Number(body.type);
    if (!KNOWN_CALLBACKS.includes(type))
      return invalidFormBody(fieldError(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${KNOWN_CALLBACKS.join(', ')}}.`));
    const fitting = FITTING[interaction.type] ?? [];
    if (!fitting.includes(type)) return invalidFormBody(fieldError(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${fitting.join(', ')}}.`));
    const data = (body.data ?? {}) as Json;
    const refused = this.#refuseData(type, data);
    if (refused) return refused;
    interaction.callback = type;
    this.#answer(interaction, type, data);
    if (!withResponse) return { status: 204 };
    const original = interaction.original ?? undefined;
    return {
      status: 200,
      body: {
        interaction: {
          id,
          type: interaction.type,
          ...(original
            ? { response_message_id: original.id, response_message_loading: interaction.loading, response_message_ephemeral: isEphemeral(original) }
            : {}),
        },
        resource: { type, ...(original && (type === CALLBACK.message || type === CALLBACK.update) ? { message: original } : {}) },
      },
    };
  }

  /** /webhooks/{application}/{token}[/messages/{id}]: follow-ups and `@original`. */
  webhook(method: string, applicationId: string, token: string, messageId: string | undefined, body: Json): FakeResponse {
    const interaction = this.#byToken.get(token);
    if (applicationId !== this.#applicationId || !interaction) return DISCORD_ERRORS.unknownWebhook;
    if (this.#now() - snowflakeTime(interaction.id) > TOKEN_LIFETIME_MS) return DISCORD_ERRORS.invalidWebhookToken;
    // Nothing to edit or follow up before the first answer (pycord #1118: 10015 for @original before any response).
    if (interaction.callback === undefined || interaction.callback === CALLBACK.autocomplete) return DISCORD_ERRORS.unknownWebhook;
    if (messageId === undefined) return method === 'POST' ? this.#followUp(interaction, body) : DISCORD_ERRORS.methodNotAllowed;
    if (messageId === '@original') return this.#original(method, interaction, body);
    const followUp = interaction.followUps.get(messageId);
    if (!followUp) return DISCORD_ERRORS.unknownMessage;
    return this.#message(method, interaction, followUp, body, () => interaction.followUps.delete(messageId));
  }

  #refuseData(type: number, data: Json): FakeResponse | null {
    if (type === CALLBACK.message) return refuseMessage(data);
    if (type === CALLBACK.update) return refuseMessage(data, { edit: true });
    if (type === CALLBACK.deferredMessage && (Number(data.flags ?? 0) & ~EPHEMERAL) !== 0) {
      return invalidFormBody(fieldError(['data', 'flags'], 'INTERACTION_DEFERRED_FLAGS', 'Only EPHEMERAL may be set on a deferred response.'));
    }
    if (type === CALLBACK.autocomplete) return refuseChoices(data.choices);
    return null;
  }

  #answer(interaction: Interaction, type: number, data: Json): void {
    const origin = { interaction: { id: interaction.id, type: interaction.type, user: interaction.user }, applicationId: this.#applicationId };
    if (type === CALLBACK.message) interaction.original = this.#channels.create(interaction.channelId, data, origin);
    if (type === CALLBACK.deferredMessage) {
      interaction.original = this.#channels.create(interaction.channelId, { content: '', flags: LOADING | (Number(data.flags ?? 0) & EPHEMERAL) }, origin);
      interaction.loading = true;
    }
    if (type === CALLBACK.deferredUpdate) interaction.original = interaction.message ?? null;
    if (type === CALLBACK.update && interaction.message) interaction.original = this.#channels.edit(interaction.message, data);
  }

  #followUp(interaction: Interaction, body: Json): FakeResponse {
    // docs: directly after a deferral, a follow-up edits the loading message (its privacy kept); if
    // that message was deleted, the follow-up fails like an edit of it (discord-api-docs #3087).
    if (interaction.loading) {
      const { flags: _ignored, ...edit } = body;
      return this.#original('PATCH', interaction, edit);
    }
    const refused = refuseMessage(body);
    if (refused) return refused;
    const origin = { interaction: { id: interaction.id, type: interaction.type, user: interaction.user }, applicationId: this.#applicationId };
    const created = this.#channels.create(interaction.channelId, { ...body, flags: Number(body.flags ?? 0) & EPHEMERAL }, origin);
    interaction.followUps.set(String(created.id), created);
    return { status: 200, body: created };
  }

  #original(method: string, interaction: Interaction, body: Json): FakeResponse {
    const original = interaction.original;
    if (!original) return DISCORD_ERRORS.unknownMessage;
    // A deleted deferral stays "loading" for the follow-up rule above: the next follow-up fails with 10008.
    return this.#message(method, interaction, original, body, () => {
      interaction.original = null;
    });
  }

  #message(method: string, interaction: Interaction, message: Json, body: Json, forget: () => void): FakeResponse {
    if (method === 'GET') return { status: 200, body: message };
    if (method === 'DELETE') {
      this.#channels.remove(String(message.channel_id), String(message.id));
      forget();
      return { status: 204 };
    }
    if (method !== 'PATCH') return DISCORD_ERRORS.methodNotAllowed;
    const refused = refuseMessage(body, { edit: true });
    if (refused) return refused;
    const edited = { ...message, ...pick(body), flags: Number(message.flags ?? 0) & ~LOADING };
    if (isEmptyMessage(edited)) return DISCORD_ERRORS.emptyMessage;
    this.#channels.edit(message, { ...body, flags: edited.flags });
    if (message === interaction.original) interaction.loading = false;
    return { status: 200, body: message };
  }
}

function refuseChoices(choices: unknown): FakeResponse | null {
  const list = Array.isArray(choices) ? (choices as Json[]) : [];
  if (list.length > 25) return invalidFormBody(fieldError(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.'));
  for (const [index, choice] of list.entries()) {
    const name = String(choice.name ?? '');
    if (name.length < 1 || name.length > 100)
      return invalidFormBody(fieldError(['data', 'choices', index, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'));
    if (typeof choice.value === 'string' && choice.value.length > 100) {
      return invalidFormBody(fieldError(['data', 'choices', index, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.'));
    }
  }
  return null;
}

function pick(body: Json): Json {
  return Object.fromEntries(Object.entries(body).filter(([key]) => ['content', 'embeds', 'components', 'attachments'].includes(key)));
}

function isEphemeral(message: Json): boolean {
  return (Number(message.flags ?? 0) & EPHEMERAL) !== 0;
}
