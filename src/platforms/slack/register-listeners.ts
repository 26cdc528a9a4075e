import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ListenerDeps } from './answer-command.ts';
import { BUTTON_LISTENERS } from './handle-block-actions.ts';
import { slashCommandListener } from './handle-slash-command.ts';

/** Every listener the app has: one slash command per command the core offers, and the reply buttons. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const onCommand = slashCommandListener(deps);
  for (const command of deps.runner.commands) app.command(`/${command.name}`, onCommand);
  for (const [actionId, listener] of BUTTON_LISTENERS) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: actionId }, listener(deps));
  }
  app.error(async (error) => {
    deps.log.error({ err: error, module: 'slack' }, 'slack listener failed');
  });
}
