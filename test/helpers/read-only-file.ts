import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';

/**
 * A file the process cannot write: mode 444, and for root (whom modes do not stop) the immutable
 * attribute. False where neither holds (root on a file system without chattr): the test is skipped.
 */
export function makeReadOnly(path: string): boolean {
  chmodSync(path, 0o444);
  if (!writable(path)) return true;
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function writable(path: string): boolean {
  if (process.getuid?.() === 0) {
    // access(W_OK) says yes to root whatever the mode; the immutable flag is what stops root.
    try {
      return !execFileSync('lsattr', ['-d', path], { encoding: 'utf8' }).split(' ')[0]?.includes('i');
    } catch {
      return true;
    }
  }
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Lets the test remove the file again. */
export function undoReadOnly(path: string): void {
  try {
    execFileSync('chattr', ['-i', path], { stdio: 'ignore' });
  } catch {
    // not set, or no chattr: nothing to undo
  }
}
