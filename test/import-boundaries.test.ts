import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const biome = join(root, 'node_modules', '.bin', 'biome');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every relative import of a file, resolved to a path inside the repository. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.[^']+)'/g)].map((match) => relative(root, resolve(dirname(file), match[1] as string)));
}

type Diagnostic = { category: string; message: string; location: { path: string } };

/** Lints a small tree with the repository's own biome.json (vcs off: the tree is no git checkout). */
async function lintTree(files: Readonly<Record<string, string>>): Promise<Diagnostic[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lmsys-boundaries-'));
  cleanups.push(dir);
  const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as Record<string, unknown>;
  delete config.vcs;
  delete config.$schema;
  writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const { stdout } = await promisify(execFile)(biome, ['lint', '--reporter=json', '.'], { cwd: dir }).catch((error: { stdout: string }) => error);
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { diagnostics: Diagnostic[] };
  return report.diagnostics.filter((diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports');
}

const cleanups: string[] = [];
afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

describe('import boundaries', () => {
  it('GIVEN src/email THEN nothing in it imports src/web (shared rendering lives in src/rendering)', () => {
    const upward = sourceFiles(join(root, 'src', 'email')).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('src/web'))
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('GIVEN src/rendering THEN it imports neither src/web nor src/email', () => {
    const inward = sourceFiles(join(root, 'src', 'rendering')).flatMap((file) =>
      importsOf(file).filter((target) => target.startsWith('src/web') || target.startsWith('src/email')),
    );
    expect(inward).toEqual([]);
  });

  it('GIVEN a file in src/email that imports src/web THEN the linter refuses it, and allows src/rendering', { timeout: 20_000 }, async () => {
    const diagnostics = await lintTree({
      'src/web/pages/layout.ts': 'export const layout = 1;\n',
      'src/rendering/html.ts': 'export const html = 1;\n',
      'src/email/templates/bad-template.ts': "import { layout } from '../../web/pages/layout.ts';\n\nexport const bad = layout;\n",
      'src/email/bad-service.ts': "import { layout } from '../web/pages/layout.ts';\n\nexport const bad = layout;\n",
      'src/email/good-template.ts': "import { html } from '../rendering/html.ts';\n\nexport const good = html;\n",
      'src/rendering/bad-helper.ts': "import { layout } from '../web/pages/layout.ts';\n\nexport const bad = layout;\n",
    });
    expect(diagnostics.map((diagnostic) => diagnostic.location.path).sort()).toEqual([
      'src/email/bad-service.ts',
      'src/email/templates/bad-template.ts',
      'src/rendering/bad-helper.ts',
    ]);
    expect(diagnostics.find((diagnostic) => diagnostic.location.path === 'src/email/bad-service.ts')?.message).toMatch(/src\/email does not import src\/web/);
  });
});
