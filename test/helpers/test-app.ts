import { Writable } from 'node:stream';
import { type App, type AppOptions, openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';

/** Settings that keep tests fast and local: in-memory archive, no spacing, tiny backoff. */
export const TEST_ENV: Record<string, string> = {
  DATABASE_URL: 'sqlite://:memory:',
  LOG_LEVEL: 'silent',
  ARXIV_MIN_INTERVAL_MS: '0',
  ARXIV_RETRY_BASE_MS: '1',
  ARXIV_MAX_RETRIES: '2',
  ARXIV_TIMEOUT_MS: '2000',
  // serve starts no daily run (it would reach for arXiv) unless a test asks for one.
  DIGEST_CRON: 'off',
  // `serve` starts the web server: on loopback, on a free port.
  WEB_HOST: '127.0.0.1',
  WEB_PORT: '0',
};

export async function openTestApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<App> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  return openApp(config, createLogger(config.LOG_LEVEL), options);
}

/** A fixed clock that tests move by hand. */
export function fixedClock(iso: string): { now: () => Date; set(iso: string): void } {
  let current = new Date(iso);
  return {
    now: () => new Date(current),
    set(next: string) {
      current = new Date(next);
    },
  };
}

/** Collects what a CLI command writes; `until` waits for the text to match. */
export function captureStream(): { stream: Writable; text(): string; until(pattern: RegExp): Promise<void> } {
  const chunks: string[] = [];
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const text = () => chunks.join('');
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      for (const waiter of waiting.filter((candidate) => candidate.pattern.test(text()))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
      done();
    },
  });
  const until = (pattern: RegExp) => (pattern.test(text()) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ pattern, resolve })));
  return { stream, text, until };
}
