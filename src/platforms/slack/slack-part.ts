import { COMMANDS, commandServices } from '../../../commands/index.ts';
import type { ServePart } from '../../cli/serve-part.ts';
import { registryRunner } from './registry-runner.ts';
import { startSlack, startSlackMessenger } from './start-slack.ts';

/**
 * Slack in `lmsys-papers serve`: runs when SLACK_BOT_TOKEN is set (a half-done setup stops start-up
 * naming the missing variable), answers every command of the registry, and hands its messenger to
 * the daily delivery. The stop signal ends its start-up, retries and waits; stopping it lets
 * acknowledged commands answer (briefly) before the archive closes. A
 * one-shot `digest` (mode `deliver`) gets the messenger alone: it must not take commands meant for
 * the `serve` that may be running beside it.
 */
export const slackPart: ServePart = {
  name: 'slack',
  async start({ app, mode, signal }) {
    if (mode === 'deliver') {
      const messenger = await startSlackMessenger(app.config, app.log, undefined, signal);
      return messenger ? { messenger, stop: async () => undefined } : null;
    }
    const slack = await startSlack(app.config, app.log, { runner: registryRunner(COMMANDS, commandServices(app), app.now), signal });
    if (!slack) return null;
    return { messenger: slack.messenger, stop: () => slack.stop() };
  },
};
