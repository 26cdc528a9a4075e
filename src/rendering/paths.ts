/**
 * Every link the site makes, in one place: pages, feeds, the JSON API and email links use these,
 * so a permalink looks the same wherever it is shown. Values are percent-encoded here. Lives in
 * src/rendering so that src/web and src/email share it without email importing the web server.
 */
export const paths = {
  home: () => '/',
  day: (day: string, tag?: string | null, leftOut = false) => {
    const params = [tag ? `tag=${encodeURIComponent(tag)}` : '', leftOut ? 'show=dropped' : ''].filter(Boolean).join('&');
    return `/day/${day}${params ? `?${params}` : ''}`;
  },
  paper: (id: string) => `/paper/${id.split('/').map(encodeURIComponent).join('/')}`,
  search: (text: string, cursor?: string | null) => withParams('/search', { q: text, cursor }),
  feed: (text?: string | null) => withParams('/feed.atom', { q: text }),
  subscribe: (what?: string | null) => withParams('/subscribe', { what }),
  confirm: (token: string) => withParams('/email/confirm', { token }),
  unsubscribe: (token: string) => withParams('/email/unsubscribe', { token }),
  vote: (token: string) => withParams('/email/vote', { token }),
  apiPapers: (text: string, cursor?: string | null) => withParams('/api/papers', { q: text, cursor }),
  apiPaper: (id: string) => `/api/papers/${id.split('/').map(encodeURIComponent).join('/')}`,
  apiDay: (day: string) => `/api/days/${day}`,
  style: (version: string) => `/style.css?v=${version}`,
};

function withParams(path: string, params: Readonly<Record<string, string | null | undefined>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** `path` on the public base URL (WEB_BASE_URL), for feeds and emails; the site lives at its root. */
export function absolute(baseUrl: string, path: string): string {
  return new URL(path, new URL(baseUrl).origin).toString();
}
