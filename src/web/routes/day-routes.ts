import { isDay } from '../../domain/calendar.ts';
import { latestRelevantDay, nextRelevantDay, previousRelevantDay } from '../../store/days.ts';
import { relevantPapersBetween } from '../../store/papers.ts';
import { htmlResponse, type WebRequest, type WebResponse } from '../http.ts';
import { dayPage } from '../pages/day-page.ts';
import { noticePage } from '../pages/notice-page.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';
import { notFound } from './not-found.ts';

/** `/` is the latest announcement day with relevant papers; `/day/YYYY-MM-DD` any day; `?tag=` filters. */
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
        return showDay(context, request, day);
      },
    },
    {
      method: 'GET',
      path: '/day/:day',
      async handle(request) {
        const day = request.params.day as string;
        if (!isDay(day)) return notFound(context);
        return showDay(context, request, day);
      },
    },
  ];
}

async function showDay(context: WebContext, request: WebRequest, day: string): Promise<WebResponse> {
  const [papers, previous, next] = await Promise.all([
    relevantPapersBetween(context.db, day, day),
    previousRelevantDay(context.db, day),
    nextRelevantDay(context.db, day),
  ]);
  const typed = request.url.searchParams.get('tag');
  const tag = typed ? context.vocabulary.resolve(typed) : null;
  return htmlResponse(200, dayPage(context, { day, papers, tag, previous, next }));
}
