import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Slack's request signing (v0): `x-slack-signature: v0=` + hex HMAC-SHA256 of
 * `v0:{timestamp}:{raw body}` under the app's signing secret, with the timestamp beside it.
 */
export function signedHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
  contentType = 'application/x-www-form-urlencoded',
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

export type SlashCommandFields = { command: string; text: string; user_id: string; channel_id: string; response_url: string };
export type ButtonPressFields = { action_id: string; value: string; user_id: string; channel_id: string; response_url: string };

/** A slash-command payload as Slack sends it, over HTTP (as form fields) or Socket Mode; Slack escapes `& < >` in `text`. */
export function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0001',
    team_domain: 'systems-lab',
    channel_name: 'papers',
    user_name: fields.user_id.toLowerCase(),
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    trigger_id: '1337.42.abcdef',
    ...fields,
    text: fields.text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
  };
}

/** A slash-command POST body (form fields). */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams(slashCommandPayload(fields)).toString();
}

const clickFixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;
/** A click on an ephemeral message: no `message`, a `state` (fixtures/slack/http/block_actions-ephemeral.payload.json). */
const EPHEMERAL_CLICK = clickFixture('http/block_actions-ephemeral.payload.json');
/** A click on a message everyone sees: the message with its blocks (fixtures/slack/socket/interactive-block_actions.envelope.json). */
const PUBLIC_CLICK = clickFixture('socket/interactive-block_actions.envelope.json').payload as Record<string, unknown>;

/** The message a button was on, when everyone sees it (an `in_channel` reply): Slack sends it with the click. */
export type ClickedMessage = { readonly ts: string; readonly text: string; readonly blocks: readonly unknown[] };

/**
 * A block_actions payload: what Socket Mode delivers as an `interactive` envelope. A click on an
 * ephemeral message (the default) carries `container.is_ephemeral: true` and no message; a click
 * on a public one carries `is_ephemeral: false` and the message, as Slack sends them.
 */
export function buttonPressPayload(fields: ButtonPressFields, message?: ClickedMessage): Record<string, unknown> {
  const base = message ? PUBLIC_CLICK : EPHEMERAL_CLICK;
  const ts = message?.ts ?? '1766000000.000100';
  const name = fields.user_id.toLowerCase();
  const action = (base.actions as Record<string, unknown>[])[0];
  return {
    ...base,
    user: { id: fields.user_id, username: name, name, team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    team: { id: 'T0001', domain: 'systems-lab' },
    channel: { id: fields.channel_id, name: 'papers' },
    container: { type: 'message', message_ts: ts, channel_id: fields.channel_id, is_ephemeral: !message },
    ...(message
      ? {
          message: {
            ...(PUBLIC_CLICK.message as Record<string, unknown>),
            bot_id: 'BBOT',
            user: 'UBOT',
            team: 'T0001',
            ts,
            text: message.text,
            blocks: message.blocks,
          },
        }
      : {}),
    trigger_id: '1337.42.abcdef',
    response_url: fields.response_url,
    actions: [{ ...action, type: 'button', action_id: fields.action_id, block_id: 'actions', value: fields.value, action_ts: '1766000001.000200' }],
  };
}

export type MenuPickFields = Omit<ButtonPressFields, 'value'> & { readonly label: string; readonly value: string };

/**
 * A pick in an overflow menu: the same block_actions payload, its action an `overflow` with the
 * `selected_option` picked (Bolt's OverflowAction: `selected_option: { text, value }`).
 */
export function menuPickPayload(fields: MenuPickFields, message?: ClickedMessage): Record<string, unknown> {
  const base = buttonPressPayload({ ...fields, value: fields.value }, message);
  const [action] = base.actions as Record<string, unknown>[];
  return {
    ...base,
    actions: [
      {
        action_id: fields.action_id,
        block_id: 'paper',
        type: 'overflow',
        selected_option: { text: { type: 'plain_text', text: fields.label, emoji: true }, value: fields.value },
        action_ts: action?.action_ts,
      },
    ],
  };
}

/** A block_actions POST body: one form field, `payload`, holding JSON. */
export function buttonPressBody(fields: ButtonPressFields, message?: ClickedMessage): string {
  return new URLSearchParams({ payload: JSON.stringify(buttonPressPayload(fields, message)) }).toString();
}

/** POSTs a signed body to Bolt's HTTP receiver. */
export function postSigned(url: string, secret: string, body: string, timestamp?: number): Promise<Response> {
  return fetch(url, { method: 'POST', headers: signedHeaders(secret, body, timestamp), body });
}

/** POSTs a signed Events API body (JSON, as Slack sends events in HTTP mode). */
export function postSignedJson(url: string, secret: string, body: Record<string, unknown>): Promise<Response> {
  const text = JSON.stringify(body);
  return fetch(url, { method: 'POST', headers: signedHeaders(secret, text, undefined, 'application/json'), body: text });
}
