import { parseArxivId } from '../../domain/arxiv-id.ts';
import { isDay } from '../../domain/calendar.ts';
import { describeNarrowing, describeQuery } from '../../domain/describe-query.ts';
import { UserError } from '../../domain/errors.ts';
import { isEmptyQuery } from '../../domain/query.ts';
import { absolute, paths } from '../../rendering/paths.ts';
import { latestRelevantDay } from '../../store/days.ts';
import { getPaper, getVersions } from '../../store/papers.ts';
import { DEFAULT_TUNING } from '../../store/search.ts';
import { archiveDay } from '../archive-day.ts';
import { jsonResponse, NO_STORE } from '../http.ts';
import { paperJson } from '../paper-json.ts';
import type { Route } from '../router.ts';
import { searchArchive } from '../search-archive.ts';
import type { WebContext } from '../web-context.ts';

/** The JSON API mirrors the pages (documented in the README); read-only, any origin may call it. */
export function apiRoutes(context: WebContext): Route[] {
  const link = (path: string) => absolute(context.baseUrl, path);
  return [
    {
      method: 'GET',
      path: '/api/papers',
      async handle(request) {
        try {
          const search = await searchArchive(context, request.url.searchParams.get('q') ?? '', request.url.searchParams.get('cursor'));
          return jsonResponse(200, {
            query: search.text,
            description: isEmptyQuery(search.query) ? 'the newest papers' : describeQuery(search.searched).replaceAll('`', ''),
            narrowed: search.narrowed ? describeNarrowing(search.searched, DEFAULT_TUNING.broad).replaceAll('`', '') : null,
            offset: search.offset,
            ...(search.like ? { like: { id: search.like.source.id, title: search.like.source.title, method: search.like.method } } : {}),
            papers: search.papers.map((paper) => paperJson(paper, context.baseUrl)),
            next: search.next ? link(paths.apiPapers(search.text, search.next)) : null,
            previous: search.previous ? link(paths.apiPapers(search.text, search.previous.cursor)) : null,
          });
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return jsonResponse(400, { error: error.message.replaceAll('`', '') }, NO_STORE);
        }
      },
    },
    {
      method: 'GET',
      path: '/api/papers/*id',
      async handle(request) {
        const id = parseArxivId(request.params.id as string);
        const paper = id ? await getPaper(context.db, id.base) : null;
        if (!id || !paper) return jsonResponse(404, { error: 'no such paper' });
        return jsonResponse(200, paperJson(paper, context.baseUrl, await getVersions(context.db, id.base)));
      },
    },
    {
      method: 'GET',
      path: '/api/days/:day',
      async handle(request) {
        const asked = request.params.day as string;
        const day = asked === 'latest' ? await latestRelevantDay(context.db) : asked;
        if (!day || !isDay(day)) return jsonResponse(404, { error: asked === 'latest' ? 'the archive is empty' : 'expected a day as YYYY-MM-DD or latest' });
        const found = await archiveDay(context, day);
        const days = { previous: found.previous ? link(paths.apiDay(found.previous)) : null, next: found.next ? link(paths.apiDay(found.next)) : null };
        if (found.kind === 'missing')
          return jsonResponse(404, { error: found.why, nearest: found.nearest ? link(paths.apiDay(found.nearest)) : null, ...days });
        return jsonResponse(200, { day, papers: found.papers.map((paper) => paperJson(paper, context.baseUrl)), announced: found.announced, ...days });
      },
    },
    {
      method: 'GET',
      path: '/api/tags',
      handle: async () =>
        jsonResponse(
          200,
          context.vocabulary.tags.map((tag) => ({ name: tag.name, definition: tag.definition, synonyms: tag.synonyms })),
        ),
    },
  ];
}
