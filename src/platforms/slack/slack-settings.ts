import { type Config, ConfigError } from '../../config.ts';

export type SlackSettings =
  | { readonly mode: 'socket'; readonly apiUrl: string; readonly botToken: string; readonly appToken: string; readonly adminUsers: readonly string[] }
  | {
      readonly mode: 'http';
      readonly apiUrl: string;
      readonly botToken: string;
      readonly signingSecret: string;
      readonly httpPort: number;
      readonly adminUsers: readonly string[];
    };

/**
 * Slack runs when its bot token is set. A half-done setup (a bot token without the app token Socket
 * Mode needs, or without the signing secret HTTP mode needs) stops the process naming the
 * variable, rather than starting a bot that silently never answers.
 */
export function slackSettings(config: Config): SlackSettings | null {
  const { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_MODE: mode } = config;
  if (!botToken) {
    if (appToken || signingSecret)
      throw new ConfigError('invalid configuration:\n  SLACK_BOT_TOKEN=(hidden): required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (xoxb-…)');
    return null;
  }
  checkKind('SLACK_BOT_TOKEN', botToken, 'xoxb-', 'the Bot User OAuth Token (OAuth & Permissions, after installing the app)');
  const common = { apiUrl: withSlash(config.SLACK_API_URL), botToken, adminUsers: config.SLACK_ADMIN_USERS };
  if (mode === 'socket') {
    if (!appToken)
      throw new ConfigError(
        'invalid configuration:\n  SLACK_APP_TOKEN=(hidden): required in Socket Mode (an xapp-… token with connections:write), or set SLACK_MODE=http',
      );
    checkKind('SLACK_APP_TOKEN', appToken, 'xapp-', 'an app-level token (Basic Information → App-Level Tokens, scope connections:write)');
    return { ...common, mode, appToken };
  }
  if (!signingSecret)
    throw new ConfigError('invalid configuration:\n  SLACK_SIGNING_SECRET=(hidden): required when SLACK_MODE=http (Basic Information → Signing Secret)');
  return { ...common, mode, signingSecret, httpPort: config.SLACK_HTTP_PORT };
}

/** What each kind of Slack token starts with, to say which one was pasted where. */
const TOKEN_KINDS: readonly (readonly [string, string])[] = [
  ['xoxb-', 'a bot token, which belongs in SLACK_BOT_TOKEN'],
  ['xapp-', 'an app-level token, which belongs in SLACK_APP_TOKEN'],
  ['xoxp-', 'a user token; the bot does not use one'],
  ['xoxe', 'a rotating or refresh token; the bot needs the long-lived one'],
];

/**
 * A token of the wrong kind is refused by Slack in ways that are hard to read (Socket Mode answers
 * `not_allowed_token_type` and the SDK retries for ever), so it stops start-up here, naming the
 * variable and what was pasted, without showing the token.
 */
function checkKind(variable: string, token: string, prefix: string, expected: string): void {
  if (token.startsWith(prefix)) return;
  const kind = TOKEN_KINDS.find(([start]) => token.startsWith(start))?.[1];
  const found = kind ? `this one starts with ${token.slice(0, token.indexOf('-') + 1)}: ${kind}` : `this one does not look like a Slack token`;
  throw new ConfigError(`invalid configuration:\n  ${variable}=(hidden): must start with ${prefix}, ${expected}; ${found}`);
}

/** The SDK joins method names straight onto the URL. */
function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
