import { type APIButtonComponentWithCustomId, ButtonStyle, ComponentType } from 'discord.js';
import type { ReplyAction } from '../../domain/reply.ts';
import type { ActionStore } from './action-store.ts';
import { LIMITS } from './discord-limits.ts';
import type { ActionRow } from './discord-message.ts';

const PREFIX = 'lp';

export type ButtonPress = { readonly kind: 'more' | 'share'; readonly key: string } | { readonly kind: 'subscribe'; readonly tag: string };

/** A Reply's actions as one row of buttons; the long payloads go to the store, the button keeps a key. */
export async function replyButtons(actions: readonly ReplyAction[], store: ActionStore): Promise<ActionRow[]> {
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const action of actions.slice(0, LIMITS.buttonsPerRow)) {
    if (action.kind === 'subscribe') {
      const customId = `${PREFIX}:subscribe:${action.tag}`;
      if (customId.length > LIMITS.customId) continue;
      buttons.push(button(ButtonStyle.Secondary, `Subscribe to ${action.tag}`, customId));
    } else {
      const key = await store.save(action);
      const label = action.kind === 'more' ? 'More results' : 'Share in channel';
      buttons.push(button(action.kind === 'more' ? ButtonStyle.Primary : ButtonStyle.Secondary, label, `${PREFIX}:${action.kind}:${key}`));
    }
  }
  return buttons.length ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/** What a button's custom_id asks for; null for ids this bot did not make. */
export function parseButton(customId: string): ButtonPress | null {
  const [prefix, kind, ...rest] = customId.split(':');
  const value = rest.join(':');
  if (prefix !== PREFIX || !value) return null;
  if (kind === 'subscribe') return { kind, tag: value };
  if (kind === 'more' || kind === 'share') return { kind, key: value };
  return null;
}

function button(style: ButtonStyle.Primary | ButtonStyle.Secondary, label: string, customId: string): APIButtonComponentWithCustomId {
  const text = label.length > LIMITS.buttonLabel ? `${label.slice(0, LIMITS.buttonLabel - 1)}…` : label;
  return { type: ComponentType.Button, style, label: text, custom_id: customId };
}
