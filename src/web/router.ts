import type { WebRequest, WebResponse } from './http.ts';

export type Method = 'GET' | 'POST';
export type Handler = (request: WebRequest) => Promise<WebResponse>;

/** `/day/:day` names one path segment; `/paper/*id` names the rest of the path (old arXiv ids have a slash). */
export type Route = { readonly method: Method; readonly path: string; readonly handle: Handler };

type Compiled = { readonly route: Route; readonly pattern: RegExp; readonly names: readonly string[] };

export type RouteMatch = { readonly handle: Handler; readonly params: Record<string, string> } | { readonly allowed: readonly Method[] } | null;

/** A tiny router: the first route whose path matches wins; a path that matches only other methods is a 405. */
export function createRouter(routes: readonly Route[]): (method: string, path: string) => RouteMatch {
  const compiled = routes.map(compile);
  return (method, path) => {
    // HEAD is GET without a body; Node leaves the body out by itself.
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allowed: Method[] = [];
    for (const { route, pattern, names } of compiled) {
      const match = pattern.exec(path);
      if (!match) continue;
      if (route.method !== wanted) {
        allowed.push(route.method);
        continue;
      }
      const params = decodeParams(names, match);
      if (!params) continue;
      return { handle: route.handle, params };
    }
    return allowed.length ? { allowed } : null;
  };
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment.startsWith('*')) {
        names.push(segment.slice(1));
        return '(.+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** null when a part is not valid percent-encoding (`%E0%A4%A`): such a path names nothing here. */
function decodeParams(names: readonly string[], match: RegExpExecArray): Record<string, string> | null {
  const params: Record<string, string> = {};
  try {
    names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] as string);
    });
  } catch {
    return null;
  }
  return params;
}
