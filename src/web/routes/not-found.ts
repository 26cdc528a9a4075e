import { htmlResponse, SHORT_CACHE, type WebResponse } from '../http.ts';
import { noticePage } from '../pages/notice-page.ts';
import type { WebContext } from '../web-context.ts';

export function notFound(context: WebContext, what = 'There is no page at this address.'): WebResponse {
  return htmlResponse(404, noticePage(context, { title: 'Not found', paragraphs: [what], problem: true }), SHORT_CACHE);
}
