import { UserError } from '../../domain/errors.ts';
import { htmlResponse, NO_STORE } from '../http.ts';
import { helpPage } from '../pages/help-page.ts';
import { searchErrorPage, searchPage } from '../pages/search-page.ts';
import type { Route } from '../router.ts';
import { searchArchive } from '../search-archive.ts';
import type { WebContext } from '../web-context.ts';

/** `/search?q=…[&cursor=…]`: the `/papers` query language; `/help` explains it. */
export function searchRoutes(context: WebContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/search',
      async handle(request) {
        const text = request.url.searchParams.get('q') ?? '';
        const cursor = request.url.searchParams.get('cursor');
        try {
          return htmlResponse(200, searchPage(context, await searchArchive(context, text, cursor)));
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return htmlResponse(400, searchErrorPage(context, text, error.message), NO_STORE);
        }
      },
    },
    { method: 'GET', path: '/help', handle: async () => htmlResponse(200, helpPage(context)) },
  ];
}
