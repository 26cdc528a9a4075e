import { consolePart } from '../platforms/console/console-part.ts';
import { discordPart } from '../platforms/discord/discord-part.ts';
import { slackPart } from '../platforms/slack/slack-part.ts';
import { webPart } from '../web/web-part.ts';
import { schedulerPart } from './scheduler-part.ts';
import type { ServePart } from './serve-part.ts';

/**
 * What `serve` runs, in start order (stopped in reverse). Chat adapters come first, then the web
 * server (which carries the email messenger), so the scheduler, which starts last, can deliver
 * through their messengers.
 */
export const SERVE_PARTS: readonly ServePart[] = [consolePart, slackPart, discordPart, webPart, schedulerPart];
