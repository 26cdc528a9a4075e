import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.ts';
import { SERVE_PARTS } from '../../../src/cli/serve-parts.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { captureStream, TEST_ENV } from '../../helpers/test-app.ts';

/** `lmsys-papers serve` with Slack settings; the signal is already aborted (unless given), so it stops as soon as it started. */
async function serve(env: Record<string, string>, signal = AbortSignal.abort()): Promise<{ code: number; stderr: string; stdout: string }> {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(['serve'], {
    env: { ...TEST_ENV, ...env },
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([]),
    signal,
  });
  return { code, stderr: stderr.text(), stdout: stdout.text() };
}

describe('the Slack part of lmsys-papers serve', () => {
  let api: FakeSlackApi;
  beforeEach(async () => {
    api = await FakeSlackApi.start();
  });
  afterEach(async () => {
    await api.close();
  });

  it('GIVEN the list of serve parts THEN Slack is in it, once', () => {
    expect(SERVE_PARTS.filter((part) => part.name === 'slack')).toHaveLength(1);
  });

  it('GIVEN no Slack token THEN serve does not call Slack', async () => {
    const result = await serve({ SLACK_API_URL: api.apiUrl });
    expect(result.code).toBe(0);
    expect(api.calls).toEqual([]);
  });

  it('GIVEN a bot token without the app token Socket Mode needs THEN serve stops at once naming the variable, without calling Slack', async () => {
    const result = await serve({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: api.apiUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SLACK_APP_TOKEN=(hidden): required in Socket Mode');
    expect(api.calls).toEqual([]);
  });

  it('GIVEN a token Slack refuses THEN serve fails with Slack’s reason and the token is not logged', async () => {
    api.script('auth.test', { error: 'invalid_auth' });
    const result = await serve({ SLACK_BOT_TOKEN: 'xoxb-secret-123', SLACK_APP_TOKEN: 'xapp-secret-456', SLACK_API_URL: api.apiUrl, LOG_LEVEL: 'debug' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth)');
    expect(result.stdout + result.stderr).not.toMatch(/xoxb-secret|xapp-secret/);
    expect(api.callsTo('apps.connections.open')).toEqual([]);
  });

  it('GIVEN a bot token in SLACK_APP_TOKEN THEN serve stops at once naming SLACK_APP_TOKEN and what was pasted, without calling Slack', async () => {
    const result = await serve({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xoxb-test', SLACK_API_URL: api.apiUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SLACK_APP_TOKEN=(hidden): must start with xapp-');
    expect(result.stderr).toContain('this one starts with xoxb-: a bot token, which belongs in SLACK_BOT_TOKEN');
    expect(api.calls).toEqual([]);
  });

  it('GIVEN Slack cannot be reached THEN serve says so, naming the address, and does not blame SLACK_BOT_TOKEN', async () => {
    const closed = await FakeSlackApi.start();
    const unreachable = closed.apiUrl;
    await closed.close();
    const result = await serve({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: unreachable }, new AbortController().signal);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`cannot reach Slack at ${unreachable.replaceAll('.', '\\.')} \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\)`));
    expect(result.stderr).not.toContain('refused SLACK_BOT_TOKEN');
  });
});
