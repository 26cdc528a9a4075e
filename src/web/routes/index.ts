import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';
import { apiRoutes } from './api-routes.ts';
import { dayRoutes } from './day-routes.ts';
import { emailLinkRoutes } from './email-link-routes.ts';
import { feedRoutes } from './feed-route.ts';
import { healthzRoutes } from './healthz-route.ts';
import { paperRoutes } from './paper-route.ts';
import { searchRoutes } from './search-route.ts';
import { staticRoutes } from './static-routes.ts';
import { subscribeRoutes } from './subscribe-routes.ts';

/**
 * Every route, listed explicitly. Only the email routes accept POST, and they exist only when SMTP
 * is configured: nothing else can change data.
 */
export function webRoutes(context: WebContext): Route[] {
  return [
    ...dayRoutes(context),
    ...searchRoutes(context),
    ...paperRoutes(context),
    ...feedRoutes(context),
    ...apiRoutes(context),
    ...healthzRoutes(context),
    ...staticRoutes(),
    ...(context.email ? [...subscribeRoutes(context, context.email), ...emailLinkRoutes(context, context.email)] : []),
  ];
}
