import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { Database } from '../src/store/db.ts';
import { webRoutes } from '../src/web/routes/index.ts';
import { webContext } from '../src/web/web-part.ts';
import { createWebHandler } from '../src/web/web-server.ts';
import type { Benchmark } from './run.ts';
import { generateSyntheticArchive } from './synthetic-archive.ts';

const PAPERS = 100_000;
const ROUNDS = 40;
const LOAD_SECONDS = 10;
const WARM_UP_SECONDS = 2;
const CONNECTIONS = 10;
/** Noon on the archive's newest day, so "last month" and "past 3 days" land inside it. */
const NOW = '2025-12-19T12:00:00Z';

/** The pages a visitor opens, with the queries of the search benchmark (tags, text, phrases, time). */
const PAGES = [
  '/',
  '/day/2025-11-03',
  '/day/2025-12-19?tag=MoE',
  '/search?q=serving',
  '/search?q=MoE+offloading+last+month',
  '/search?q=kv+cache',
  '/search?q=%22speculative+decoding%22+-survey',
  '/search?q=author%3AHan+serving',
  '/paper/2512.01234',
  '/feed.atom?q=MoE',
  '/feed.atom?q=kv+cache',
  '/api/papers?q=serving',
];

const LOADS = ['/search?q=MoE+offloading', '/search?q=kv+cache', '/'];

const ms = (value: number) => `${value.toFixed(1)} ms`;
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Server-side render time: the real handler on a 100k archive, timed from the request's arrival
 * to the last byte handed to the socket, requests one at a time so each is measured alone.
 */
async function renderTimes(path: string): Promise<void> {
  const config = loadConfig({ DATABASE_URL: `sqlite://${path}`, LOG_LEVEL: 'silent', DIGEST_TIMEZONE: 'UTC' });
  const app = await openApp(config, createLogger('silent'), { now: () => new Date(NOW) });
  const context = webContext(app, 'http://localhost', null);
  const handle = createWebHandler(context, webRoutes(context), false);
  const times = new Map<string, number[]>(PAGES.map((page) => [page, []]));
  let current: number[] = [];
  const server = createServer((request, response) => {
    const started = performance.now();
    const sink = current;
    response.on('finish', () => sink.push(performance.now() - started));
    handle(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (let round = -3; round < ROUNDS; round++) {
      for (const page of PAGES) {
        // Three warm-up rounds fill SQLite's page cache and the statement cache; they are not counted.
        current = round < 0 ? [] : (times.get(page) as number[]);
        const response = await fetch(`${base}${page}`);
        if (response.status !== 200) throw new Error(`${page} answered ${response.status}`);
        await response.arrayBuffer();
      }
    }
  } finally {
    server.close();
    await app.close();
  }
  console.log(`\nserver-side render time, ${ROUNDS} rounds per page, one request at a time (request in → last byte out):`);
  console.log(`${'page'.padEnd(44)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}`);
  for (const [page, values] of times) {
    console.log(
      `${page.padEnd(44)} ${ms(percentile(values, 50)).padStart(9)} ${ms(percentile(values, 99)).padStart(9)} ${ms(Math.max(...values)).padStart(9)}`,
    );
  }
  const all = [...times.values()].flat();
  console.log(`all ${all.length} renders: p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}, max ${ms(Math.max(...all))}`);
}

/** `lmsys-papers serve` in its own process on a free loopback port; resolves its URL from the log. */
async function startServe(path: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [new URL('../bin/lmsys-papers.js', import.meta.url).pathname, 'serve'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${path}`, WEB_HOST: '127.0.0.1', WEB_PORT: '0', LOG_LEVEL: 'info', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' },
    // Its banner goes to stderr; its log (with the URL) to stdout.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk) => {
      buffered += String(chunk);
      const line = buffered.split('\n').find((text) => text.includes('"web server listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  child.stdout?.resume();
  return { child, url };
}

type AutocannonResult = { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };

/** autocannon (its CLI, a third process) against the served page. */
async function load(url: string, seconds: number): Promise<AutocannonResult> {
  const cli = new URL('../node_modules/autocannon/autocannon.js', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, [cli, '--json', '--no-progress', '-c', String(CONNECTIONS), '-d', String(seconds), url], {
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(stdout) as AutocannonResult;
}

export const webBench: Benchmark = {
  name: 'web',
  summary: `page render time on a ${PAPERS.toLocaleString('en-US')}-paper archive (server side), requests/s of \`serve\` under autocannon from other processes`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-web-'));
    try {
      const path = join(dir, 'archive.db');
      const db = await Database.open(`sqlite://${path}`);
      const archive = await generateSyntheticArchive(db, { papers: PAPERS });
      await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      await db.close();
      console.log(`archive: ${archive.papers.toLocaleString('en-US')} papers (${archive.firstDay} … ${archive.lastDay}), ${availableParallelism()} CPUs`);

      await renderTimes(path);

      const { child, url } = await startServe(path);
      try {
        console.log(
          `\n\`lmsys-papers serve\` in its own process; autocannon (-c ${CONNECTIONS}, ${LOAD_SECONDS} s after a ${WARM_UP_SECONDS} s warm-up run) in another, over loopback:`,
        );
        console.log(`${'page'.padEnd(30)} ${'req/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}  non-2xx errors`);
        for (const page of LOADS) {
          await load(`${url}${page}`, WARM_UP_SECONDS);
          const result = await load(`${url}${page}`, LOAD_SECONDS);
          console.log(
            `${page.padEnd(30)} ${result.requests.average.toFixed(0).padStart(8)} ${`${result.latency.p50} ms`.padStart(8)} ${`${result.latency.p99} ms`.padStart(8)}  ${result.non2xx} ${result.errors}`,
          );
        }
      } finally {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
