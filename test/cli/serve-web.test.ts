import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { FakeSmtp } from '../fakes/smtp-server.ts';
import { captureStream, TEST_ENV } from '../helpers/test-app.ts';

/** Runs `serve` until the test aborts it; resolves the web server's URL from its log line. */
function serve(env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = captureStream();
  const controller = new AbortController();
  const listening = new Promise<{ url: string; baseUrl: string; email: boolean }>((resolve) => {
    let buffered = '';
    stdout.on('data', (chunk) => {
      buffered += String(chunk);
      for (const line of buffered.split('\n')) if (line.includes('"web server listening"')) resolve(JSON.parse(line));
    });
  });
  const exit = runCli(['serve'], {
    env: { ...TEST_ENV, LOG_LEVEL: 'info', ...env },
    stdout,
    stderr: stderr.stream,
    stdin: Readable.from([]),
    signal: controller.signal,
  });
  return { listening, exit, stop: () => controller.abort(), stderr };
}

describe('serve runs the web part', () => {
  let smtp: FakeSmtp;
  beforeEach(async () => {
    smtp = await FakeSmtp.start();
  });
  afterEach(() => smtp.close());

  it('GIVEN serve THEN the page and /healthz answer on WEB_PORT until the server stops', async () => {
    const server = serve({});
    const { url, email } = await server.listening;
    expect(email).toBe(false);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/`)).status).toBe(200);
    expect((await fetch(`${url}/subscribe`)).status).toBe(404);
    server.stop();
    expect(await server.exit).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('GIVEN SMTP_URL, MAIL_FROM and WEB_BASE_URL THEN the form is served and its email goes out', async () => {
    const server = serve({ SMTP_URL: smtp.url, MAIL_FROM: 'papers@example.org', WEB_BASE_URL: 'https://papers.example.org' });
    const { url, baseUrl, email } = await server.listening;
    expect({ baseUrl, email }).toEqual({ baseUrl: 'https://papers.example.org', email: true });
    const response = await fetch(`${url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'address=reader%40example.org&what=MoE',
    });
    expect(response.status).toBe(200);
    expect((await smtp.nextEmail()).text).toContain('https://papers.example.org/email/confirm?token=c.');
    server.stop();
    expect(await server.exit).toBe(0);
  });

  it('GIVEN SMTP_URL without MAIL_FROM and WEB_BASE_URL THEN serve refuses to start and says what is missing', async () => {
    const server = serve({ SMTP_URL: smtp.url });
    expect(await server.exit).toBe(2);
    expect(server.stderr.text()).toMatch(/MAIL_FROM="": required when SMTP_URL is set[\s\S]*WEB_BASE_URL="": required when SMTP_URL is set/);
  });

  it('GIVEN an SMTP_URL that is not smtp:// THEN the configuration is refused with the value hidden', async () => {
    const server = serve({ SMTP_URL: 'http://user:secret@relay' });
    expect(await server.exit).toBe(2);
    expect(server.stderr.text()).toContain('SMTP_URL=(hidden): expected smtp://user:pass@host:587 or smtps://user:pass@host:465');
    expect(server.stderr.text()).not.toContain('secret');
  });
});
