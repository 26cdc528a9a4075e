import { createTransport } from 'nodemailer';
import type { SendResult } from '../domain/delivery.ts';
import type { Logger } from '../log.ts';

export type OutgoingEmail = {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<…@host>`: the same id for a resend lets mail clients drop the duplicate. */
  readonly messageId?: string;
  /** The one-click unsubscribe URL (RFC 8058): List-Unsubscribe and List-Unsubscribe-Post. */
  readonly unsubscribeUrl: string;
};

/** Sends one email; never throws for SMTP trouble, it answers with a SendResult. */
export type Mailer = {
  send(email: OutgoingEmail): Promise<SendResult>;
  close(): void;
};

export type SmtpMailerOptions = {
  /** SMTP_URL: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. */
  readonly url: string;
  /** MAIL_FROM: `lmsys-papers <papers@example.org>`. */
  readonly from: string;
  readonly log: Logger;
  /** Seconds to wait for a connection and for each reply; shorter in tests. */
  readonly timeoutMs?: number;
  /**
   * The stop signal: sends under way get STOP_GRACE_MS to be confirmed, then they are cut (a relay
   * that stalls would otherwise hold the stop for the socket timeout, a minute) and handed back to
   * be retried. The relay may have taken a cut email: the resend carries the same Message-ID.
   */
  readonly signal?: AbortSignal;
};

/** How long sends under way may still take once the process is stopping (Slack's grace is 3 s, Discord's 2 s). */
export const STOP_GRACE_MS = 2000;

/** nodemailer over a small connection pool: the daily run sends many emails, one connection reused. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = createTransport({
    url: options.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: 2 * timeout,
  });
  const cut = options.signal ? afterGrace(options.signal, STOP_GRACE_MS) : undefined;
  return {
    async send(email) {
      if (cut?.aborted) return { ok: false, permanent: false, reason: 'not sent: the bot is stopping' };
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          ...(email.messageId ? { messageId: email.messageId } : {}),
          list: { unsubscribe: { url: email.unsubscribeUrl, comment: 'Unsubscribe' } },
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          ...(cut ? { signal: cut } : {}),
        });
        return { ok: true, ref: info.messageId };
      } catch (error) {
        if (cut?.aborted && (error as { code?: string }).code === 'EABORT') {
          options.log.warn({ graceMs: STOP_GRACE_MS }, 'email cut off by the stop');
          return { ok: false, permanent: false, reason: `cut off by the stop: the relay had not confirmed it within ${STOP_GRACE_MS / 1000} s` };
        }
        const result = smtpFailure(error);
        options.log.warn({ code: (error as { code?: string }).code, permanent: result.permanent, reason: result.reason }, 'email not sent');
        return result;
      }
    },
    close: () => transport.close(),
  };
}

/**
 * A 5xx answer about the recipient or the message (no such mailbox, message refused) will not
 * change on retry. Everything else — the server down or slow, 4xx, a login that fails until the
 * configuration is fixed — is worth trying again later, so nothing is lost. nodemailer tags a
 * refused sender (`530 Authentication required` to MAIL FROM: our configuration, every email
 * alike) EENVELOPE too, so the SMTP command decides, not the code alone; and a 5.7.x policy answer
 * is retried wherever it comes (it is bounded by the delivery's tries).
 */
export function smtpFailure(error: unknown): SendResult & { ok: false } {
  const { code, responseCode, message, command, response } = error as {
    code?: string;
    responseCode?: number;
    message?: string;
    command?: string;
    response?: string;
  };
  const aboutThisEmail = (code === 'EENVELOPE' && command === 'RCPT TO') || (code === 'EMESSAGE' && command === 'DATA');
  // 5.7.x is policy and security: Postfix refuses an unauthenticated relay or sender only at RCPT TO
  // ("554 5.7.1 Relay access denied"), so a wrong SMTP login looks like a refused recipient there.
  const policy = /\b5\.7\.\d{1,3}\b/.test(response ?? message ?? '');
  const permanent = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && aboutThisEmail && !policy;
  // Relays echo the recipient ("550 <a@b.org>: no such user"); the reason is logged and kept in the
  // delivery ledger, which need no address.
  const text = (message ?? String(error)).replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>').replace(/\s+/g, ' ');
  const reason = `${code ?? 'error'}${responseCode ? ` ${responseCode}` : ''}: ${text.slice(0, 200)}`;
  return { ok: false, permanent, reason };
}

/** Aborts `graceMs` after `stop` does. */
function afterGrace(stop: AbortSignal, graceMs: number): AbortSignal {
  const cut = new AbortController();
  const start = () => setTimeout(() => cut.abort(stop.reason), graceMs).unref();
  if (stop.aborted) start();
  else stop.addEventListener('abort', start, { once: true });
  return cut.signal;
}
