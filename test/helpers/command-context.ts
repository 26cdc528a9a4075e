import type { Caller, CommandContext, CommandServices } from '../../commands/command.ts';
import { commandServices } from '../../commands/command.ts';
import type { App } from '../../src/app.ts';

/** A Slack-like caller; tests override what they vary (platform, user, admin right, zone). */
export function caller(fields: Partial<Caller> = {}): Caller {
  return {
    platform: 'slack',
    userId: 'U1',
    displayName: 'Alice',
    channelId: 'C1',
    canAdministerChannel: false,
    timeZone: null,
    ...fields,
  };
}

export function commandContext(app: App, fields: Partial<Caller> = {}, services: Partial<CommandServices> = {}): CommandContext {
  return { caller: caller(fields), now: app.now, services: { ...commandServices(app), ...services } };
}
