import type { AlertMessage, DigestMessage, Messenger } from '../../domain/delivery.ts';
import type { TextSink } from './prompt-guard.ts';
import { recipientLine, renderAlert, renderDigest } from './render-delivery.ts';

/**
 * The console as a delivery platform: digests and alerts for `console` channels and people (those
 * set up from `lmsys-papers repl`) are printed. `serve` without chat tokens and `digest` use it.
 * Printing cannot be looked up again, so a print interrupted by a crash may be printed twice.
 */
export function createConsoleMessenger(output: TextSink, width = 80): Messenger {
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

/**
 * What the daily delivery sends through: the messengers of the running parts, plus the console
 * whenever no chat platform (Slack, Discord) is configured — email alone does not replace the
 * person at the terminal, who reads the digest and alerts of console subscriptions there.
 */
export function withConsoleFallback(messengers: readonly Messenger[], output: TextSink): Messenger[] {
  const chat = messengers.some((messenger) => messenger.platform === 'slack' || messenger.platform === 'discord');
  const hasConsole = messengers.some((messenger) => messenger.platform === 'console');
  return chat || hasConsole ? [...messengers] : [...messengers, createConsoleMessenger(output)];
}
