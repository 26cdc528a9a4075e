import { createHmac } from 'node:crypto';

/**
 * Slack's request signing (v0): `x-slack-signature: v0=` + hex HMAC-SHA256 of
 * `v0:{timestamp}:{raw body}` under the app's signing secret, with the timestamp beside it.
 */
export function signedHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
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

/** A block_actions payload: what Socket Mode delivers as an `interactive` envelope. */
export function buttonPressPayload(fields: ButtonPressFields): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'systems-lab' },
    user: { id: fields.user_id, username: fields.user_id.toLowerCase(), name: fields.user_id.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1766000000.000100', channel_id: fields.channel_id, is_ephemeral: true },
    trigger_id: '1337.42.abcdef',
    channel: { id: fields.channel_id, name: 'papers' },
    response_url: fields.response_url,
    actions: [
      {
        type: 'button',
        action_id: fields.action_id,
        block_id: 'actions',
        text: { type: 'plain_text', text: 'button', emoji: false },
        value: fields.value,
        action_ts: '1766000001.000200',
      },
    ],
  };
}

/** A block_actions POST body: one form field, `payload`, holding JSON. */
export function buttonPressBody(fields: ButtonPressFields): string {
  return new URLSearchParams({ payload: JSON.stringify(buttonPressPayload(fields)) }).toString();
}

/** POSTs a signed body to Bolt's HTTP receiver. */
export function postSigned(url: string, secret: string, body: string, timestamp?: number): Promise<Response> {
  return fetch(url, { method: 'POST', headers: signedHeaders(secret, body, timestamp), body });
}
