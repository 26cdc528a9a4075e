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
  const common = { apiUrl: withSlash(config.SLACK_API_URL), botToken, adminUsers: config.SLACK_ADMIN_USERS };
  if (mode === 'socket') {
    if (!appToken)
      throw new ConfigError(
        'invalid configuration:\n  SLACK_APP_TOKEN=(hidden): required in Socket Mode (an xapp-… token with connections:write), or set SLACK_MODE=http',
      );
    return { ...common, mode, appToken };
  }
  if (!signingSecret)
    throw new ConfigError('invalid configuration:\n  SLACK_SIGNING_SECRET=(hidden): required when SLACK_MODE=http (Basic Information → Signing Secret)');
  return { ...common, mode, signingSecret, httpPort: config.SLACK_HTTP_PORT };
}

/** The SDK joins method names straight onto the URL. */
function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
