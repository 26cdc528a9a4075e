const APP_TOKEN_HINTS: Record<string, string> = {
  not_allowed_token_type: 'SLACK_APP_TOKEN must be the app-level token (xapp-…, Basic Information → App-Level Tokens), not the bot token',
  missing_scope: 'the app-level token lacks the connections:write scope: add it under Basic Information → App-Level Tokens',
  invalid_auth: 'the app-level token is not valid: generate one under Basic Information → App-Level Tokens (scope connections:write)',
  not_authed: 'no app-level token was sent',
  token_revoked: 'the app-level token was revoked: generate a new one under Basic Information → App-Level Tokens',
  account_inactive: 'the app or its workspace is deactivated',
};

/** The error that stops start-up when Slack turns SLACK_APP_TOKEN away (apps.connections.open answered `code`). */
export function appTokenRefused(code: string): Error {
  return new Error(`Slack refused SLACK_APP_TOKEN (apps.connections.open: ${code}): ${APP_TOKEN_HINTS[code] ?? 'see the Slack section of the README'}`);
}
