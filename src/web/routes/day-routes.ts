import { isDay } from '../../domain/calendar.ts';
import { html, type SafeHtml } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import { latestRelevantDay } from '../../store/days.ts';
import { archiveDay, type HeldDay, type MissingDay } from '../archive-day.ts';
import { htmlResponse, SHORT_CACHE, type WebRequest, type WebResponse } from '../http.ts';
import { dayPage } from '../pages/day-page.ts';
import { noticePage } from '../pages/notice-page.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';

/**
 * `/` is the latest announcement day with relevant papers; `/day/YYYY-MM-DD` any day the archive
 * holds; `?tag=` filters. Any other day is a 404 that says why and links the nearest day with papers.
 */
export function dayRoutes(context: WebContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      async handle(request) {
        const day = await latestRelevantDay(context.db);
        if (!day) {
          const notice = noticePage(context, { title: 'No papers yet', paragraphs: ['The archive is empty: nothing has been imported or ingested yet.'] });
          return htmlResponse(200, notice);
        }
        return answer(context, request, await archiveDay(context, day), day);
      },
    },
    {
      method: 'GET',
      path: '/day/:day',
      async handle(request) {
        const asked = request.params.day as string;
        return answer(context, request, await archiveDay(context, asked), asked);
      },
    },
  ];
}

function answer(context: WebContext, request: WebRequest, found: HeldDay | MissingDay, asked: string): WebResponse {
  const typed = request.url.searchParams.get('tag');
  const tag = typed ? context.vocabulary.resolve(typed) : null;
  if (found.kind === 'held') return htmlResponse(200, dayPage(context, { ...found, tag, showLeftOut: request.url.searchParams.get('show') === 'dropped' }));
  return htmlResponse(404, missingDayPage(context, found, asked, tag), SHORT_CACHE);
}

/** Why, a link to the nearest day with papers, and the days on both sides when there are two. */
function missingDayPage(context: WebContext, missing: MissingDay, asked: string, tag: string | null): SafeHtml {
  const paragraphs: (string | SafeHtml)[] = [missing.why];
  if (missing.nearest) paragraphs.push(html`The nearest day with papers is <a href="${paths.day(missing.nearest, tag)}">${missing.nearest}</a>.`);
  if (missing.previous && missing.next) {
    paragraphs.push(
      html`<a rel="prev" href="${paths.day(missing.previous, tag)}">← ${missing.previous}</a> · <a rel="next" href="${paths.day(missing.next, tag)}">${missing.next} →</a>`,
    );
  }
  return noticePage(context, { title: isDay(asked) ? `No announcement on ${asked}` : 'Not a day', paragraphs, problem: true });
}
