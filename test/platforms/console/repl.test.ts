import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandServices } from '../../../commands/command.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { App } from '../../../src/app.ts';
import { importReadme } from '../../../src/pipeline/import-readme.ts';
import { runRepl } from '../../../src/platforms/console/repl.ts';
import { localCaller } from '../../../src/platforms/console/start-console.ts';
import { listSubscriptions } from '../../../src/store/subscriptions.ts';
import { fixedClock, openTestApp } from '../../helpers/test-app.ts';

const seed = readFileSync(new URL('../../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');

describe('console REPL', () => {
  let app: App;
  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
  });
  afterAll(() => app.close());

  function start(user: string, options: { interactive?: boolean; signal?: AbortSignal } = {}) {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk) => {
      written += String(chunk);
    });
    /** Resolves when the output contains `text`: waits on the REPL's writes, not on a timer. */
    const until = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!written.includes(text)) return;
          output.off('data', check);
          resolve();
        };
        output.on('data', check);
        check();
      });
    const done = runRepl({
      input,
      output,
      commands: COMMANDS,
      context: { caller: localCaller(user), now: app.now, services: commandServices(app) },
      interactive: options.interactive ?? false,
      width: 80,
      signal: options.signal,
    });
    return { input, text: () => written, until, done };
  }

  async function script(user: string, lines: string[]): Promise<string> {
    const session = start(user);
    session.input.end(`${lines.join('\n')}\n`);
    await session.done;
    return session.text();
  }

  it('GIVEN a scripted /papers line THEN the reply is printed as text and the REPL ends with the input', async () => {
    const text = await script('alice', ['/papers MoE offloading 2025-12']);
    expect(text).toMatch(/^`MoE` \+ `offloading` papers from 2025-12-01 to 2025-12-31: 3 papers, newest\nfirst\.\n\n1\. Efficient CPU-GPU/);
    expect(text).toContain('   https://arxiv.org/abs/2512.09277v1');
    expect(text).not.toContain('papers>');
  });

  it('GIVEN more THEN the next page is fetched with the cursor and numbered on', async () => {
    const text = await script('alice', ['/papers serving', 'more', 'more']);
    expect(text).toContain('`serving` papers: 9–16 (more below), newest first.');
    expect(text).toContain('\n 9. ');
    expect(text).toContain('`serving` papers: 17–24 (more below), newest first.');
    expect(text).toContain('\n17. ');
  });

  it('GIVEN more without a previous page, an unknown command, comments and blank lines THEN each gets a plain answer', async () => {
    const text = await script('alice', ['more', '', '# a comment', '/frobnicate now']);
    expect(text).toBe(
      'Nothing more to show.\n\nUnknown command “frobnicate”. Commands: /papers, /subscribe, /unsubscribe, /subscriptions, /digest, /like, /dislike, /unvote, /feedback, /papers-help.\n\n',
    );
  });

  it('GIVEN two local users THEN each has their own subscriptions, stored on the console platform', async () => {
    await script('alice', ['/subscribe MoE', 'subscribe "kv cache"']);
    const bob = await script('bob', ['/subscriptions']);
    expect(bob).toMatch(/^You follow nothing yet\./);
    expect((await listSubscriptions(app.db, { platform: 'console', userId: 'alice' })).map((subscription) => subscription.value)).toEqual(['MoE', 'kv cache']);
  });

  it('GIVEN quit THEN the lines after it are not run', async () => {
    const text = await script('carol', ['/subscribe MoE', 'quit', '/subscribe serving']);
    expect(text).toContain('Added tag `MoE`.');
    expect(text).not.toContain('serving');
  });

  it('GIVEN an interactive session THEN a banner and prompts are shown, and the abort signal ends it', async () => {
    const controller = new AbortController();
    const session = start('dave', { interactive: true, signal: controller.signal });
    session.input.write('/papers-help subscriptions\n');
    await session.until('Examples:');
    controller.abort();
    await session.done;
    const text = session.text();
    expect(text).toMatch(/^lmsys-papers console\./);
    expect(text).toContain('papers> ');
    expect(text).toContain('• `/subscriptions`');
  });
});
