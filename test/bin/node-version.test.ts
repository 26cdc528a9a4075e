import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MINIMUM_NODE, nodeVersionProblem } from '../../bin/node-version.js';

const bin = new URL('../../bin/lmsys-papers.js', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };

/** The machine's own Node, when it is one too old for the project (Debian's Node 20 here). */
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path) && nodeVersionProblem(versionOf(path)) !== null);

describe('the Node.js version check of bin/lmsys-papers.js', () => {
  it('GIVEN package.json THEN engines says the same minimum as the check', () => {
    expect(manifest.engines.node).toBe(`>=${MINIMUM_NODE}`);
  });

  it.each(['24.0.0', '24.21.0', MINIMUM_NODE, '26.1.0'])('GIVEN Node %s THEN it runs', (version) => {
    expect(nodeVersionProblem(version)).toBeNull();
  });

  it.each(['20.20.2', '22.18.0', '18.0.0', '22.9.1'])('GIVEN Node %s THEN one line says which version is needed and how to get it', (version) => {
    const problem = nodeVersionProblem(version);
    expect(problem).toContain(`needs Node.js ${MINIMUM_NODE} or later`);
    expect(problem).toContain(`this is Node.js ${version}`);
    expect(problem).toContain('npm i -g --prefix ~/.node24 node@24');
    expect(problem).not.toContain('\n');
  });

  it.runIf(oldNode)('GIVEN the machine’s old Node THEN `lmsys-papers serve` prints that one line and exits 1, no stack trace', () => {
    const result = spawnSync(oldNode as string, [bin, 'serve'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${nodeVersionProblem(versionOf(oldNode as string))}\n`);
  });
});

function versionOf(node: string): string {
  return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
}
