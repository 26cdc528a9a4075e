// Plain JavaScript on purpose: this must load on any Node.js, including those that cannot run the
// TypeScript sources (Node 20 stops at `.ts` with ERR_UNKNOWN_FILE_EXTENSION and a stack trace).

/** The oldest Node.js that runs lmsys-papers; package.json `engines` says the same (a test checks). */
export const MINIMUM_NODE = '22.19.0';

/** Null when `version` (e.g. process.versions.node) is recent enough, else the one line to print. */
export function nodeVersionProblem(version) {
  if (compare(version, MINIMUM_NODE) >= 0) return null;
  return (
    `lmsys-papers needs Node.js ${MINIMUM_NODE} or later (24 LTS recommended); this is Node.js ${version}. ` +
    'Get Node 24 from https://nodejs.org or, with npm: npm i -g --prefix ~/.node24 node@24 && export PATH="$HOME/.node24/bin:$PATH"'
  );
}

function compare(a, b) {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((left[i] ?? 0) !== (right[i] ?? 0)) return (left[i] ?? 0) - (right[i] ?? 0);
  }
  return 0;
}
