import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BOT } from './slack-api.ts';
import { readSlackManifest, type SlackManifest } from './slack-manifest.ts';

const ENVELOPE = JSON.parse(readFileSync(new URL('../fixtures/slack/socket/events_api-reaction_added.envelope.json', import.meta.url), 'utf8')) as {
  payload: Record<string, unknown> & { event: Record<string, unknown> };
};

/**
 * The scope Slack requires of an app for each event it may subscribe to
 * (docs.slack.dev/reference/events/reaction_added and reaction_removed: "Required scopes: reactions:read").
 */
const EVENT_SCOPES: Readonly<Record<string, string>> = { reaction_added: 'reactions:read', reaction_removed: 'reactions:read' };

export type ReactionFields = {
  readonly type: 'reaction_added' | 'reaction_removed';
  readonly user: string;
  readonly reaction: string;
  readonly channel: string;
  readonly ts: string;
  /** Who wrote the message; the bot for its own posts. */
  readonly itemUser?: string;
};

/** A reaction event as Slack sends it (the fixture's shape, our ids). */
export function reactionEvent(fields: ReactionFields): Record<string, unknown> {
  return {
    ...ENVELOPE.payload.event,
    type: fields.type,
    user: fields.user,
    reaction: fields.reaction,
    item_user: fields.itemUser ?? BOT.user_id,
    item: { type: 'message', channel: fields.channel, ts: fields.ts },
    event_ts: `${Math.floor(Date.now() / 1000)}.000200`,
  };
}

export type EventVerdict = { readonly sent: true; readonly body: Record<string, unknown> } | { readonly sent: false; readonly reason: string };

/**
 * What Slack does with an event: it sends the app an `event_callback` only when the app's manifest
 * subscribes to the event (settings.event_subscriptions.bot_events) and the bot was granted the
 * event's scope. Anything else never reaches the app.
 */
export function eventCallback(event: Record<string, unknown>, manifest: SlackManifest = readSlackManifest()): EventVerdict {
  const type = String(event.type);
  if (!manifest.botEvents.includes(type)) return { sent: false, reason: `the app does not subscribe to ${type}` };
  const scope = EVENT_SCOPES[type];
  if (!scope) return { sent: false, reason: `the fake does not know the scope of ${type}` };
  if (!manifest.scopes.includes(scope)) return { sent: false, reason: `${type} needs the ${scope} scope` };
  return {
    sent: true,
    body: {
      ...ENVELOPE.payload,
      team_id: BOT.team_id,
      api_app_id: 'A0001',
      event,
      event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: BOT.team_id, user_id: BOT.user_id, is_bot: true, is_enterprise_install: false }],
      event_context: `1-${type}-${BOT.team_id}-${String((event.item as { channel?: string } | undefined)?.channel ?? '')}`,
    },
  };
}
