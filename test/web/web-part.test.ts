import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { RunningPart } from '../../src/cli/serve-part.ts';
import { ConfigError } from '../../src/config.ts';
import { webPart } from '../../src/web/web-part.ts';
import { FakeSmtp } from '../fakes/smtp-server.ts';
import { captureStream, openTestApp } from '../helpers/test-app.ts';

describe('the web serve part', () => {
  let smtp: FakeSmtp;
  let app: App | undefined;
  let running: RunningPart | null = null;
  const start = async (env: Record<string, string>) => {
    app = await openTestApp(env);
    const io = { env: {}, stdout: captureStream().stream, stderr: captureStream().stream, stdin: Readable.from([]) };
    running = await webPart.start({ app, io, signal: new AbortController().signal, requestStop: () => undefined, messengers: [] });
    return running;
  };

  beforeEach(async () => {
    smtp = await FakeSmtp.start();
  });
  afterEach(async () => {
    await running?.stop();
    running = null;
    await app?.close();
    await smtp.close();
  });

  it('GIVEN SMTP configured THEN the running part carries the email messenger for the delivery job', async () => {
    const part = await start({ SMTP_URL: smtp.url, MAIL_FROM: 'papers@example.org', WEB_BASE_URL: 'https://papers.example.org' });
    expect(part?.messenger?.platform).toBe('email');
  });

  it('GIVEN no SMTP THEN the web part runs without a messenger', async () => {
    const part = await start({});
    expect(part).not.toBeNull();
    expect(part?.messenger).toBeUndefined();
  });

  it('GIVEN SMTP_URL but no MAIL_FROM THEN a ConfigError before anything listens', async () => {
    await expect(start({ SMTP_URL: smtp.url, WEB_BASE_URL: 'https://papers.example.org' })).rejects.toThrow(ConfigError);
  });
});
