import type { AlertMessage, DigestMessage, Messenger } from '../../domain/delivery.ts';
import { recipientLine, renderAlert, renderDigest } from './render-delivery.ts';

/**
 * The console as a delivery platform: digests and alerts for `console` channels and people (those
 * set up from `lmsys-papers repl`) are printed. `serve` without chat tokens and `digest` use it.
 * Printing cannot be looked up again, so a print interrupted by a crash may be printed twice.
 */
export function createConsoleMessenger(output: NodeJS.WritableStream, width = 80): Messenger {
  return {
    platform: 'console',
    limits: { perSecond: Number.POSITIVE_INFINITY, concurrency: 1 },
    async postDigest(channelId: string, digest: DigestMessage) {
      output.write(`${recipientLine('console', 'digest', channelId)}\n${renderDigest(digest, width)}\n`);
      return { ok: true };
    },
    async sendAlert(userId: string, alert: AlertMessage) {
      output.write(`${recipientLine('console', 'alert', userId)}\n${renderAlert(alert, width)}\n`);
      return { ok: true };
    },
  };
}
