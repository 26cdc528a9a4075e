import { parseArxivId } from '../../domain/arxiv-id.ts';
import type { Paper } from '../../domain/paper.ts';
import { EMPTY_QUERY } from '../../domain/query.ts';
import { paths } from '../../rendering/paths.ts';
import { getPaper, getVersions } from '../../store/papers.ts';
import { IndexNotReady } from '../../store/similar-papers.ts';
import { groupLabel } from '../../store/votes.ts';
import { htmlResponse, redirectResponse } from '../http.ts';
import { paperPage } from '../pages/paper-page.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';
import { notFound } from './not-found.ts';

/** Neighbours shown on a paper's page; the section links to the full list (`like:` search). */
export const SHOWN_NEIGHBOURS = 5;
/** A first index build on a large archive takes seconds: the page does not wait for it. */
const NEIGHBOURS_WAIT_MS = 300;

/** The paper's nearest neighbours, or null while the index is first being built. */
async function moreLikeThis(context: WebContext, id: string): Promise<readonly Paper[] | null> {
  try {
    const page = await context.similar.find({ ...EMPTY_QUERY, like: id }, { limit: SHOWN_NEIGHBOURS, offset: 0 }, { maxWaitMs: NEIGHBOURS_WAIT_MS });
    return page.papers;
  } catch (error) {
    if (error instanceof IndexNotReady) return null;
    throw error;
  }
}

/** `/paper/2512.16473` (and old-style `/paper/cs.DC/0101001`); a versioned id redirects to the paper's one address. */
export function paperRoutes(context: WebContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/paper/*id',
      async handle(request) {
        const typed = request.params.id as string;
        const id = parseArxivId(typed);
        if (!id) return notFound(context, 'That is not an arXiv identifier.');
        if (id.base !== typed) return redirectResponse(paths.paper(id.base), 301);
        const [paper, versions, group] = await Promise.all([getPaper(context.db, id.base), getVersions(context.db, id.base), groupLabel(context.db, id.base)]);
        if (!paper) return notFound(context, `The archive has no paper ${id.base}.`);
        return htmlResponse(200, paperPage(context, paper, versions, await moreLikeThis(context, paper.id), group));
      },
    },
  ];
}
