import { isAbsolute, relative } from 'node:path';

/**
 * Where the archive file is, as a person would look for it: `data/lmsys-papers.db relative to
 * /home/me/bot` when it lies under the working directory (a command run from another folder
 * opens another file), else its absolute path.
 */
export function describeArchiveFile(path: string, cwd: string = process.cwd()): string {
  if (path === ':memory:') return 'an in-memory archive (DATABASE_URL=sqlite://:memory:)';
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? `${inside} relative to ${cwd}` : path;
}

/** What every answer over an empty archive says: which file it is and how to fill it. */
export function emptyArchiveNote(path: string, cwd?: string): string {
  return (
    `The archive ${describeArchiveFile(path, cwd)} is empty: \`lmsys-papers import <README.md>\` imports the original README, ` +
    '`lmsys-papers ingest` fetches the latest days from arXiv (or set DATABASE_URL to the archive you meant).'
  );
}
