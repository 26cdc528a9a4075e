#!/usr/bin/env node
// Node.js runs the TypeScript sources directly (type stripping); there is no build step. An older
// Node cannot load them at all, so the version is checked first and the sources imported after.
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
await import('../src/main.ts');
