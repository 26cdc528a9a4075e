import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { slackSettings } from '../../../src/platforms/slack/slack-settings.ts';

const settings = (env: Record<string, string>) => slackSettings(loadConfig(env));

describe('slackSettings', () => {
  it('GIVEN no Slack variables THEN Slack stays off', () => {
    expect(settings({})).toBeNull();
  });

  it('GIVEN a bot and an app token THEN Socket Mode, the default', () => {
    expect(settings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual({
      mode: 'socket',
      apiUrl: 'https://slack.com/api/',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      adminUsers: [],
    });
  });

  it('GIVEN SLACK_MODE=http and a signing secret THEN HTTP mode on SLACK_HTTP_PORT', () => {
    expect(
      settings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_MODE: 'http', SLACK_HTTP_PORT: '8081', SLACK_ADMIN_USERS: 'U1, U2' }),
    ).toMatchObject({
      mode: 'http',
      signingSecret: 's',
      httpPort: 8081,
      adminUsers: ['U1', 'U2'],
    });
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http', SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN'],
  ])('GIVEN a half-done setup %j THEN start-up stops naming %s, without showing a token', (env, name) => {
    expect(() => settings(env)).toThrow(ConfigError);
    expect(() => settings(env)).toThrow(name);
    try {
      settings(env);
    } catch (error) {
      expect(String(error)).not.toMatch(/xoxb-1|xapp-1/);
    }
  });

  it.each([
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' },
      'SLACK_APP_TOKEN=(hidden): must start with xapp-',
      'starts with xoxb-: a bot token, which belongs in SLACK_BOT_TOKEN',
    ],
    [{ SLACK_BOT_TOKEN: 'xapp-1', SLACK_APP_TOKEN: 'xapp-2' }, 'SLACK_BOT_TOKEN=(hidden): must start with xoxb-', 'starts with xapp-: an app-level token'],
    [{ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_APP_TOKEN: 'xapp-2' }, 'SLACK_BOT_TOKEN=(hidden): must start with xoxb-', 'a user token'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'secret' }, 'SLACK_APP_TOKEN=(hidden): must start with xapp-', 'does not look like a Slack token'],
    [{ SLACK_BOT_TOKEN: 'hunter2', SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN=(hidden): must start with xoxb-', 'does not look like'],
  ])('GIVEN a token of the wrong kind %j THEN start-up stops naming the variable and what was pasted, without the token', (env, named, found) => {
    expect(() => settings(env)).toThrow(ConfigError);
    expect(() => settings(env)).toThrow(named);
    expect(() => settings(env)).toThrow(found);
    try {
      settings(env);
    } catch (error) {
      expect(String(error)).not.toMatch(/xoxb-[12]|xapp-[12]|xoxp-1|secret|hunter2/);
    }
  });
});
