#!/usr/bin/env node
// The first step of `npm run check` (and of `npm test`): what the test suite needs from the machine
// beyond `npm ci`, so that the README's `npm ci && npm run check` passes on a fresh Debian machine
// or stops at once saying the one command to run. Plain JavaScript so any Node.js can run it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { nodeVersionProblem } from '../bin/node-version.js';

/** The browser tests drive Debian's chromium through playwright-core, which downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * What to do about chromium: nothing, install it (as root, with apt-get: Debian's package), or stop
 * with the command a person must run.
 */
export function chromiumStep({ installed, root, aptGet }) {
  if (installed) return { action: 'ok' };
  if (root && aptGet) return { action: 'install' };
  const command = aptGet ? 'sudo apt-get install chromium' : 'install Chromium so that /usr/bin/chromium exists (Debian: apt-get install chromium)';
  return { action: 'stop', message: `the browser tests need Debian's chromium at ${CHROMIUM}, which is missing. Run: ${command}` };
}

function main() {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem) return fail(problem);
  const step = chromiumStep({ installed: existsSync(CHROMIUM), root: process.getuid?.() === 0, aptGet: existsSync('/usr/bin/apt-get') });
  if (step.action === 'stop') return fail(step.message);
  if (step.action === 'install') {
    console.error(`${CHROMIUM} is missing: installing Debian's chromium for the browser tests (apt-get install chromium)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]) {
      // dpkg's progress goes nowhere; apt's errors still reach the person.
      const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
      if (result.status !== 0) return fail(`apt-get ${args.join(' ')} failed; install chromium by hand: apt-get install chromium`);
    }
    if (!existsSync(CHROMIUM)) return fail(`apt-get installed chromium but ${CHROMIUM} is still missing`);
    console.error(`installed ${CHROMIUM}`);
  }
  return 0;
}

function fail(message) {
  console.error(`npm run check: ${message}`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
