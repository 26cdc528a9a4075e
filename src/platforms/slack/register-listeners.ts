import type { App, BlockAction, ButtonAction, OverflowAction } from '@slack/bolt';
import type { ListenerDeps } from './answer-command.ts';
import { BUTTON_LISTENERS } from './handle-block-actions.ts';
import { paperMenuListener } from './handle-paper-menu.ts';
import { reactionListener } from './handle-reaction.ts';
import { slashCommandListener } from './handle-slash-command.ts';
import { PAPER_MENU_ACTION } from './paper-menu.ts';

/**
 * Every listener the app has: one slash command per command the core offers, the reply buttons,
 * each paper's ⋯ menu, and the reactions that are votes (the manifest subscribes to their events).
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const onCommand = slashCommandListener(deps);
  for (const command of deps.runner.commands) app.command(`/${command.name}`, onCommand);
  for (const [actionId, listener] of BUTTON_LISTENERS) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: actionId }, listener(deps));
  }
  app.action<BlockAction<OverflowAction>>({ type: 'block_actions', action_id: PAPER_MENU_ACTION }, paperMenuListener(deps));
  app.event('reaction_added', reactionListener(deps, 'added'));
  app.event('reaction_removed', reactionListener(deps, 'removed'));
  app.error(async (error) => {
    deps.log.error({ err: error, module: 'slack' }, 'slack listener failed');
  });
}
