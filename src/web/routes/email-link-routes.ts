import type { EmailService } from '../../email/email-service.ts';
import { html } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import { htmlResponse, NO_STORE, type WebRequest } from '../http.ts';
import { noticePage } from '../pages/notice-page.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';
import { voteLinkRoutes } from './vote-link-routes.ts';

/**
 * The links in emails. A GET only shows what the link would do, with a button; the POST does it.
 * Mail scanners and link previews fetch every link in an email, and must not confirm or cancel
 * anything on the owner's behalf. Mail clients' one-click unsubscribe (RFC 8058) is a POST to the
 * same URL, so it works without the page.
 */
export function emailLinkRoutes(context: WebContext, email: EmailService): Route[] {
  const token = (request: WebRequest) => request.url.searchParams.get('token') ?? '';
  const expired = (what: string) => htmlResponse(410, noticePage(context, { title: 'This link no longer works', paragraphs: [what], problem: true }), NO_STORE);
  return [
    ...voteLinkRoutes(context, email),
    {
      method: 'GET',
      path: '/email/confirm',
      async handle(request) {
        const view = await email.viewConfirmation(token(request));
        if (!view) return expired('It expired or was already used. You can ask for a new one on the subscribe page.');
        const page = noticePage(context, {
          title: 'Confirm your email alerts',
          paragraphs: [`Send ${view.address} one email per announcement day with new papers matching: ${view.following.join(', ')}.`],
          button: { label: 'Confirm', action: paths.confirm(token(request)) },
        });
        return htmlResponse(200, page, NO_STORE);
      },
    },
    {
      method: 'POST',
      path: '/email/confirm',
      async handle(request) {
        const view = await email.confirm(token(request));
        if (!view) return expired('It expired or was already used. You can ask for a new one on the subscribe page.');
        const page = noticePage(context, {
          title: 'You are subscribed',
          paragraphs: [
            `${view.address} now follows: ${view.following.join(', ')}.`,
            'Each email has a link to unsubscribe with one click.',
            html`<a href="/">Back to the papers</a>`,
          ],
        });
        return htmlResponse(200, page, NO_STORE);
      },
    },
    {
      method: 'GET',
      path: '/email/unsubscribe',
      async handle(request) {
        const view = await email.viewUnsubscribe(token(request));
        if (!view) return expired('It is not valid or has expired; the newest email you received has a fresh one.');
        const who = view.address || 'This address';
        const page = noticePage(context, {
          title: 'Unsubscribe',
          paragraphs: [view.following.length ? `${who} follows: ${view.following.join(', ')}.` : `${who} gets no paper emails.`],
          button: { label: 'Unsubscribe from everything', action: paths.unsubscribe(token(request)) },
        });
        return htmlResponse(200, page, NO_STORE);
      },
    },
    {
      method: 'POST',
      path: '/email/unsubscribe',
      async handle(request) {
        if (!(await email.unsubscribe(token(request)))) return expired('It is not valid or has expired; the newest email you received has a fresh one.');
        const page = noticePage(context, {
          title: 'You are unsubscribed',
          paragraphs: ['No more paper emails will be sent to this address, and it has been removed from our records.'],
        });
        return htmlResponse(200, page, NO_STORE);
      },
    },
  ];
}
