import { COMMANDS, commandServices } from '../../../commands/index.ts';
import type { ServePart } from '../../cli/serve-part.ts';
import { registryRunner } from './registry-runner.ts';
import { startSlack } from './start-slack.ts';

/**
 * Slack in `lmsys-papers serve`: runs when SLACK_BOT_TOKEN is set (a half-done setup stops start-up
 * naming the missing variable), answers every command of the registry, and hands its messenger to
 * the daily delivery. Stopping it lets acknowledged commands answer before the archive closes.
 */
export const slackPart: ServePart = {
  name: 'slack',
  async start({ app }) {
    const slack = await startSlack(app.config, app.log, { runner: registryRunner(COMMANDS, commandServices(app), app.now) });
    if (!slack) return null;
    return { messenger: slack.messenger, stop: () => slack.stop() };
  },
};
