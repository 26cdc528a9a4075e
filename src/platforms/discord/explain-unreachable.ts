import { HTTPError } from 'discord.js';

/**
 * Discord out of reach or failing, told as such, naming the setting that points at it (as Slack's
 * "cannot reach Slack at …; check SLACK_API_URL" does): discord.js passes the socket's own error
 * through (`getaddrinfo ENOTFOUND discord.com`, `connect ECONNREFUSED …`), which names neither
 * Discord nor DISCORD_API_URL, and its HTTPError after three retries of a 5xx says only
 * "Bad Gateway". Anything else is returned as it is.
 */
export function explainUnreachable(error: unknown, apiUrl: string): unknown {
  if (error instanceof HTTPError && error.status >= 500) {
    return new Error(
      `Discord answered HTTP ${error.status} (${error.message}) to ${error.method} ${pathOf(error.url)}; try again later (DISCORD_API_URL is ${apiUrl})`,
      {
        cause: error,
      },
    );
  }
  const network = networkError(error);
  if (!network) return error;
  return new Error(`cannot reach Discord at ${apiUrl} (${network}); check DISCORD_API_URL and the network`, { cause: error });
}

/** The socket's message when the error (or a cause of it) is a failed connection, DNS lookup or TLS handshake. */
function networkError(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code, syscall } = current as Error & { code?: unknown; syscall?: unknown };
    if (typeof code !== 'string') continue;
    if (typeof syscall === 'string' || code.startsWith('UND_ERR_') || code.startsWith('ERR_TLS_') || code.includes('CERT')) return current.message || code;
  }
  return null;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
