import { dayIn } from '../../domain/calendar.ts';
import { UserError } from '../../domain/errors.ts';
import { parseQuery } from '../../domain/query.ts';
import { paths } from '../../rendering/paths.ts';
import { newestMatching } from '../../store/newest-papers.ts';
import { renderAtom } from '../atom.ts';
import { atomResponse, textResponse } from '../http.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';

export const FEED_ENTRIES = 50;

/** `/feed.atom`: the newest relevant papers; `?q=MoE+serving` (any search) or `?tag=MoE` narrows it. */
export function feedRoutes(context: WebContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/feed.atom',
      async handle(request) {
        const tag = request.url.searchParams.get('tag');
        const text = [tag ? `tag:"${tag.replaceAll('"', '')}"` : '', request.url.searchParams.get('q') ?? ''].join(' ').trim();
        let query: ReturnType<typeof parseQuery>;
        try {
          query = parseQuery(text, { vocabulary: context.vocabulary, today: dayIn(context.now(), context.timeZone) });
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return textResponse(400, `${error.message.replaceAll('`', '')}\n`);
        }
        if (query.like)
          return textResponse(400, 'A feed follows tags, words and dates as new papers arrive; like: lists one paper’s neighbours and has no feed.\n');
        const papers = await newestMatching(context.db, query, FEED_ENTRIES);
        const selfPath = `/feed.atom${request.url.search}`;
        const title = text ? `lmsys-papers: ${text}` : 'lmsys-papers: systems for large models';
        return atomResponse(renderAtom({ title, selfPath, pagePath: paths.search(text), baseUrl: context.baseUrl, papers, now: context.now() }));
      },
    },
  ];
}
