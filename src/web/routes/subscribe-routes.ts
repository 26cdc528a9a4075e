import type { EmailService } from '../../email/email-service.ts';
import { html } from '../../rendering/html.ts';
import { htmlResponse, NO_STORE } from '../http.ts';
import { noticePage } from '../pages/notice-page.ts';
import { subscribePage } from '../pages/subscribe-page.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';

/** The form (GET) and its answer (POST); both exist only when SMTP is configured. */
export function subscribeRoutes(context: WebContext, email: EmailService): Route[] {
  return [
    {
      method: 'GET',
      path: '/subscribe',
      handle: async (request) => htmlResponse(200, subscribePage(context, { address: '', what: request.url.searchParams.get('what') ?? '' })),
    },
    {
      method: 'POST',
      path: '/subscribe',
      async handle(request) {
        const address = request.form.get('address') ?? '';
        const what = request.form.get('what') ?? '';
        const outcome = await email.requestSubscription({ address, what, clientAddress: request.clientAddress });
        if (outcome.kind === 'invalid') {
          return htmlResponse(400, subscribePage(context, { address, what, error: { field: outcome.field, message: outcome.message } }), NO_STORE);
        }
        if (outcome.kind === 'too-many') {
          const page = noticePage(context, {
            title: 'Too many requests',
            paragraphs: ['Too many subscribe requests from your network; please try again in an hour.'],
            problem: true,
          });
          const response = htmlResponse(429, page, NO_STORE);
          return { ...response, headers: { ...response.headers, 'retry-after': '3600' } };
        }
        if (outcome.kind === 'unavailable') {
          const page = noticePage(context, {
            title: 'Email is unavailable',
            paragraphs: ['We could not send the confirmation email just now; nothing was saved. Please try again later.'],
            problem: true,
          });
          return htmlResponse(503, page, NO_STORE);
        }
        const page = noticePage(context, {
          title: 'Check your inbox',
          paragraphs: [
            'If the address can receive email, a confirmation link is on its way. Nothing will be sent until it is used; the link works for 48 hours.',
            html`<a href="/">Back to the papers</a>`,
          ],
        });
        return htmlResponse(200, page, NO_STORE);
      },
    },
  ];
}
