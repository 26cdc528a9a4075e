import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { FakeDiscord } from '../fakes/discord/fake-discord.ts';
import { TEST_ENV } from './test-app.ts';

const BIN = new URL('../../bin/lmsys-papers.js', import.meta.url).pathname;

/** A real `lmsys-papers serve` process and what it has written so far. */
export type Served = { readonly child: ChildProcess; seen(text: string, times?: number): Promise<void>; output(): string };

/** `lmsys-papers serve` as a child process, talking to the fake Discord (used by tests and `bench discord-stop`). */
export function serveWithDiscord(fake: FakeDiscord): Served {
  const env = {
    ...TEST_ENV,
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'info',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
  };
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let written = '';
  const waiting: { text: string; times: number; resolve: () => void }[] = [];
  const count = (text: string) => written.split(text).length - 1;
  const onData = (chunk: Buffer) => {
    written += String(chunk);
    for (const waiter of waiting.filter((candidate) => count(candidate.text) >= candidate.times)) waiter.resolve();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    output: () => written,
    seen: (text, times = 1) => (count(text) >= times ? Promise.resolve() : new Promise((resolve) => waiting.push({ text, times, resolve }))),
  };
}

/** A port on 127.0.0.1 where nothing listens (taken, then let go). */
export async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
