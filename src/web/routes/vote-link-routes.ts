import { describeGroup, quotedTitle, valueWords } from '../../../commands/describe-vote.ts';
import type { EmailService } from '../../email/email-service.ts';
import type { VoteLinkProblem } from '../../email/vote-links.ts';
import { html } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import { htmlResponse, NO_STORE, type WebRequest, type WebResponse } from '../http.ts';
import { noticePage } from '../pages/notice-page.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';

/** Why a vote link did nothing, said plainly; the status tells a client the same. */
const PROBLEMS: Readonly<Record<VoteLinkProblem, { status: number; title: string; text: string }>> = {
  forged: {
    status: 403,
    title: 'This link is not valid',
    text: 'It was not made for this site, or it was changed on the way. Use the links in your newest email.',
  },
  expired: { status: 410, title: 'This link has expired', text: 'Vote links work for 60 days. The newest email you received has fresh ones.' },
  unsubscribed: { status: 410, title: 'This link no longer works', text: 'The address it was sent to is unsubscribed, so its links no longer vote.' },
  'unknown-paper': { status: 404, title: 'That paper is not in the archive', text: 'It may have been removed since the email was sent.' },
  'too-many': { status: 429, title: 'Too many votes at once', text: 'That vote was not counted. Wait a minute and press the button again.' },
};

/**
 * `/email/vote?token=…`, the "relevant" / "not relevant" links of alert emails. A GET only shows
 * what the link would do, with a button: mail scanners and link previews open every link in an
 * email, and a GET that voted would cast every vote in it (the last link opened would win). The
 * button POSTs to the same URL, which votes, says what changed, and offers to take it back or turn
 * it the other way. Forged, expired and orphaned links get a page that says which.
 */
export function voteLinkRoutes(context: WebContext, email: EmailService): Route[] {
  const token = (request: WebRequest) => request.url.searchParams.get('token') ?? '';
  const problem = (which: VoteLinkProblem): WebResponse => {
    const { status, title, text } = PROBLEMS[which];
    return htmlResponse(status, noticePage(context, { title, paragraphs: [text], problem: true }), NO_STORE);
  };
  return [
    {
      method: 'GET',
      path: '/email/vote',
      async handle(request) {
        const view = await email.votes.view(token(request));
        if (!view.ok) return problem(view.problem);
        const paper = html`<a href="${paths.paper(view.paperId)}">${quotedTitle(view.title)}</a>`;
        const current = view.current ? `You marked it ${valueWords(view.current)}.` : 'You have not voted on it.';
        const page =
          view.choice === 'clear'
            ? noticePage(context, {
                title: 'Take back your vote?',
                paragraphs: [html`${paper}`, `${current} ${describeGroup(view.group)}`],
                button: { label: 'Take back my vote', action: paths.vote(token(request)) },
              })
            : noticePage(context, {
                title: `Mark this paper ${valueWords(view.choice)}?`,
                paragraphs: [
                  html`${paper}`,
                  `${current} ${describeGroup(view.group)}`,
                  `Your vote, as ${view.address}, tells the filter what the group wants to read.`,
                ],
                button: { label: `Mark it ${valueWords(view.choice)}`, action: paths.vote(token(request)) },
              });
        return htmlResponse(200, page, NO_STORE);
      },
    },
    {
      method: 'POST',
      path: '/email/vote',
      async handle(request) {
        const done = await email.votes.vote(token(request));
        if (!done.ok) return problem(done.problem);
        const buttons = [
          ...(done.opposite ? [{ label: `Mark it ${valueWords(done.opposite.choice)} instead`, action: paths.vote(done.opposite.token) }] : []),
          ...(done.undo ? [{ label: 'Take back my vote', action: paths.vote(done.undo) }] : []),
        ];
        const page = noticePage(context, {
          title: 'Thank you',
          paragraphs: [done.text, html`<a href="${paths.paper(done.paperId)}">The paper’s page</a> · <a href="/">Back to the papers</a>`],
          buttons,
        });
        return htmlResponse(200, page, NO_STORE);
      },
    },
  ];
}
