import { withConsoleFallback } from '../platforms/console/console-messenger.ts';
import { createScheduler } from '../scheduler.ts';
import type { ServePart } from './serve-part.ts';

/**
 * The daily run in `serve`: listed last, it delivers through the messengers of the chat parts
 * started before it, and prints to the console when no chat platform is configured. Off with
 * DIGEST_CRON=off.
 */
export const schedulerPart: ServePart = {
  name: 'scheduler',
  async start({ app, io, messengers, mode }) {
    if (mode === 'deliver' || app.config.DIGEST_CRON === 'off') return null;
    const scheduler = createScheduler({ app, messengers: withConsoleFallback(messengers, io.promptGuard?.above(io.stdout) ?? io.stdout) });
    // The start-up catch-up runs in the background; serve does not wait for it.
    void scheduler.start();
    return { stop: () => scheduler.stop() };
  },
};
