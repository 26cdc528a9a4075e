import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.ts';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import { closedPort } from '../../helpers/serve-process.ts';
import { captureStream, TEST_ENV } from '../../helpers/test-app.ts';

/** A stream whose text a test can wait on. */
function watchedStream(): { stream: Writable; text(): string; until(text: string): Promise<void> } {
  let written = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      for (const waiter of waiting.filter((candidate) => written.includes(candidate.text))) waiter.resolve();
      done();
    },
  });
  return {
    stream,
    text: () => written,
    until: (text) => (written.includes(text) ? Promise.resolve() : new Promise((resolve) => waiting.push({ text, resolve }))),
  };
}

describe('lmsys-papers serve with Discord settings', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  function serve(env: Record<string, string>, signal: AbortSignal, stderr: Writable) {
    return runCli(['serve'], {
      env: { ...TEST_ENV, DISCORD_API_URL: fake.apiUrl, ...env },
      stdout: captureStream().stream,
      stderr,
      stdin: Readable.from([]),
      signal,
    });
  }

  it('GIVEN DISCORD_TOKEN and DISCORD_APPLICATION_ID THEN serve runs the Discord part, which answers commands, and stopping closes the gateway normally', async () => {
    const stop = new AbortController();
    const stderr = watchedStream();
    const serving = serve({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId }, stop.signal, stderr.stream);
    await stderr.until('lmsys-papers is running (discord, web)');

    const sent = fake.interact('interaction-papers-command', (payload) => {
      payload.data = { id: '1200000000000000007', name: 'papers-help', type: 1, options: [] };
    });
    const answer = await fake.rest.waitFor((request) => request.path.includes(`/${String(sent.token)}/`));
    expect(answer.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('/papers') } });

    const closed = once(fake.gateway, 'close');
    stop.abort();
    expect(await serving).toBe(0);
    expect(await closed).toEqual([1000]);
  });

  it('GIVEN a token Discord rejects THEN serve exits 2 naming DISCORD_TOKEN, and nothing goes on connecting', async () => {
    const stderr = watchedStream();
    const code = await serve({ DISCORD_TOKEN: 'not-the-bot-token', DISCORD_APPLICATION_ID: fake.applicationId }, new AbortController().signal, stderr.stream);
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/Discord rejected DISCORD_TOKEN: copy the bot token again/);
    expect(fake.rest.refusals()).toEqual(['GET /gateway/bot → 401 0']);
    expect(fake.gateway.connections).toEqual([]);
  });

  it('GIVEN DISCORD_API_URL where nothing listens THEN serve exits 1 saying it cannot reach Discord, naming DISCORD_API_URL, not only the socket error', async () => {
    const nobody = await closedPort();
    const stderr = watchedStream();
    const env = { DISCORD_API_URL: `http://127.0.0.1:${nobody}/api`, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId };
    const code = await serve(env, new AbortController().signal, stderr.stream);
    expect(code).toBe(1);
    expect(stderr.text()).toContain(
      `lmsys-papers serve failed: cannot reach Discord at http://127.0.0.1:${nobody}/api (connect ECONNREFUSED 127.0.0.1:${nobody}); check DISCORD_API_URL and the network`,
    );
  });

  it('GIVEN Discord answering 502 to GET /gateway/bot through every retry THEN serve exits 1 saying Discord failed, not only "Bad Gateway"', async () => {
    const badGateway = { status: 502, body: { message: 'upstream' } };
    fake.rest.fail('GET', /^\/gateway\/bot$/, badGateway, badGateway, badGateway, badGateway);
    const stderr = watchedStream();
    const code = await serve({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId }, new AbortController().signal, stderr.stream);
    expect(code).toBe(1);
    expect(stderr.text()).toContain(
      `lmsys-papers serve failed: Discord answered HTTP 502 (Bad Gateway) to GET /api/v10/gateway/bot; try again later (DISCORD_API_URL is ${fake.apiUrl})`,
    );
    expect(fake.gateway.connections).toEqual([]);
  });

  it('GIVEN only DISCORD_TOKEN THEN serve refuses to start, naming the missing setting, and Discord is not called', async () => {
    const stderr = watchedStream();
    const code = await serve({ DISCORD_TOKEN: fake.token }, new AbortController().signal, stderr.stream);
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/^DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not/);
    expect(fake.rest.requests).toHaveLength(0);
  });
});
