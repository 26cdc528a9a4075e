import { PICKED_FOR_YOU } from '../../domain/personal-model.ts';
import { describeSubscription, type SubscriptionTarget } from '../../domain/subscription.ts';
import { html } from '../../rendering/html.ts';
import type { RenderedEmail } from './alert-email.ts';
import { emailDocument } from './email-layout.ts';

export type ConfirmationEmailInput = {
  readonly targets: readonly SubscriptionTarget[];
  /** "Picked for you" was asked for too. */
  readonly picks?: boolean;
  readonly confirmUrl: string;
  /** Cancels this request and stops anything this address gets. */
  readonly unsubscribeUrl: string;
  readonly validHours: number;
};

/** The double opt-in email: what was asked for, the confirmation link, and how to say no. */
export function renderConfirmationEmail(input: ConfirmationEmailInput): RenderedEmail {
  const what = [...input.targets.map((target) => describeSubscription(target).replaceAll('`', '')), ...(input.picks ? [PICKED_FOR_YOU] : [])].join(', ');
  const subject = 'Confirm your lmsys-papers email alerts';
  const text = [
    'Someone, hopefully you, asked lmsys-papers to email this address when new arXiv papers match:',
    `  ${what}`,
    '',
    `To confirm, open this link within ${input.validHours} hours:`,
    input.confirmUrl,
    '',
    'If it was not you, ignore this email: nothing will be sent unless the link is used.',
    `To cancel and stop all email to this address: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');
  const content = html`<h1 style="font-size:20px;margin:0 0 16px">Confirm your email alerts</h1>
<p>Someone, hopefully you, asked lmsys-papers to email this address when new arXiv papers match: <strong>${what}</strong>.</p>
<p><a href="${input.confirmUrl}" style="display:inline-block;padding:10px 16px;background:#1a4f8b;color:#ffffff;text-decoration:none;border-radius:6px">Confirm</a></p>
<p style="font-size:14px;color:#555">The link works for ${input.validHours} hours. If it was not you, ignore this email: nothing will be sent unless the link is used.</p>`;
  const footer = html`<p><a href="${input.unsubscribeUrl}" style="color:#555">Cancel and stop all email to this address</a></p>`;
  return { subject, text, html: emailDocument(subject, content, footer) };
}
