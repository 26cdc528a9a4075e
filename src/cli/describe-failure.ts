import { basename } from 'node:path';
import type { Config } from '../config.ts';

type Coded = Error & { code?: string; port?: number; address?: string; syscall?: string };

/**
 * The faults of the machine a command runs on, not of the code: a read-only or full disk, a
 * corrupt archive, a port taken. Each is told in one line that says what to do; the stack goes to
 * the log at debug level only. Anything else is a bug and keeps its stack. Null when not such a fault.
 */
export function describeRuntimeFailure(error: unknown, config: Config | undefined): string | null {
  const fault = codedCause(error);
  if (!fault) return null;
  const archive = config ? `the archive (DATABASE_URL=${config.DATABASE_URL})` : 'the archive';
  switch (fault.code) {
    case 'SQLITE_READONLY':
      return `cannot write ${archive}: it is read-only (file or folder permissions, or a read-only mount)`;
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return `cannot write ${archive}: the disk is full`;
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return `${archive} is corrupt (${firstLine(fault.message)}): restore it from a backup, or move it away and import or ingest again`;
    case 'SQLITE_CANTOPEN':
      // Most often a read-only folder (a read-only mount): the file alone being readable is not enough.
      return `cannot open ${archive}: ${firstLine(fault.message)}. ${beside(config)}`;
    case 'SQLITE_IOERR':
      return `cannot read or write ${archive}: input/output error (${firstLine(fault.message)})`;
    case 'EADDRINUSE':
    case 'EACCES':
      return fault.syscall === 'listen' ? portTaken(fault, config) : null;
    default:
      return null;
  }
}

function beside(config: Config | undefined): string {
  const file = config ? basename(config.DATABASE_URL.slice('sqlite://'.length)) : 'the archive';
  return `Its folder must be writable as well as the file: SQLite keeps ${file}-wal and ${file}-shm beside it`;
}

function portTaken(fault: Coded, config: Config | undefined): string {
  const settings = config
    ? [
        ['WEB_PORT', config.WEB_PORT],
        ['SLACK_HTTP_PORT', config.SLACK_HTTP_PORT],
      ].filter(([, port]) => port === fault.port)
    : [];
  const named = settings.length ? settings.map(([name, port]) => `${name}=${port}`).join(' and ') : `port ${fault.port ?? '?'}`;
  const host = fault.address ?? 'all addresses';
  const where = `${host.includes(':') ? `[${host}]` : host}:${fault.port ?? '?'}`;
  if (fault.code === 'EACCES') return `cannot listen on ${where} (${named}): ports below 1024 need privileges; choose another`;
  return `cannot listen on ${where} (${named}): the port is in use by another process; stop it or choose another port`;
}

/** The first error in the `cause` chain that carries a code (sqlite3 and Node put it on the error; wrappers put it on a cause). */
function codedCause(error: unknown): Coded | null {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code } = current as Coded;
    if (typeof code === 'string' && code.length > 0) return current as Coded;
  }
  return null;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ \(in: .*\)$/, '');
}
