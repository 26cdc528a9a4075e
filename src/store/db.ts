import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { ConfigError } from '../config.ts';
import { MIGRATIONS } from './migrations.ts';

/** Queries built with a variable number of parameters must not grow the cache without bound. */
const STATEMENT_CACHE_SIZE = 256;

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;
export type RunResult = { readonly changes: number; readonly lastId: number };

/**
 * A fault SQLite reported that says the archive itself is unwell, kept so /healthz can tell: a
 * corrupt file stays corrupt; a read-only or full one is over once a write succeeds again.
 */
export type DatabaseFault = { readonly kind: 'corrupt' | 'read-only' | 'full'; readonly message: string; readonly at: string };

const FAULT_KINDS: Readonly<Record<string, DatabaseFault['kind']>> = {
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_NOTADB: 'corrupt',
  SQLITE_READONLY: 'read-only',
  SQLITE_FULL: 'full',
};

/** The archive's folder could not be made or the file not opened: a setting to fix, named in the message. */
export class DatabaseOpenError extends ConfigError {}

/** What both the database and an open transaction can do. */
export type Queryable = {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
};

/** `sqlite://data/x.db` (relative), `sqlite:///abs/x.db`, `sqlite://:memory:` → a file path for sqlite3. */
export function databasePath(url: string): string {
  const rest = url.replace(/^sqlite:\/\//, '');
  if (rest === ':memory:') return ':memory:';
  return resolve(rest);
}

/**
 * One sqlite3 connection; statements and transactions take turns. sqlite3 is asynchronous, so
 * without the turn-taking a statement issued by another task could land inside someone else's
 * BEGIN … COMMIT and be committed or rolled back with it.
 */
export class Database implements Queryable {
  readonly path: string;
  readonly #db: sqlite3.Database;
  readonly #statements = new Map<string, Promise<sqlite3.Statement>>();
  #lock: Promise<unknown> = Promise.resolve();
  #fault: DatabaseFault | null = null;

  private constructor(path: string, db: sqlite3.Database) {
    this.path = path;
    this.#db = db;
  }

  static async open(url: string): Promise<Database> {
    const path = databasePath(url);
    if (path !== ':memory:') makeFolder(dirname(path), url);
    const raw = await new Promise<sqlite3.Database>((done, fail) => {
      const db = new sqlite3.Database(path, (error) =>
        error
          ? fail(Object.assign(new DatabaseOpenError(`cannot open the archive ${path} (DATABASE_URL=${url}): ${error.message}`), { cause: error }))
          : done(db),
      );
    });
    raw.serialize();
    const database = new Database(path, raw);
    if (path !== ':memory:') await database.exec('PRAGMA journal_mode = WAL');
    // A 64 MiB page cache (SQLite's default is 2 MiB) keeps the FTS5 index of a 100k-paper archive
    // in memory: /papers p50 5.4 → 3.4 ms, p99 34 → 26 ms in `npm run bench search`, for ~20 MiB RSS.
    await database.exec('PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536');
    try {
      await migrate(database);
    } catch (error) {
      await database.close().catch(() => undefined);
      throw error;
    }
    return database;
  }

  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return this.#exclusive(() => this.#run(sql, params));
  }

  async get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.#exclusive(() => this.#all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.#exclusive(() => this.#exec(sql));
  }

  /**
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT; any throw rolls back and is rethrown.
   * Inside `work` use `tx`, never the database itself: that would wait for this very transaction.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx: Queryable = {
      run: (sql, params = []) => this.#run(sql, params),
      get: async <R>(sql: string, params: SqlParams = []) => (await this.#all<R>(sql, params))[0],
      all: (sql, params = []) => this.#all(sql, params),
      exec: (sql) => this.#exec(sql),
    };
    const body = async () => {
      await this.#exec('BEGIN IMMEDIATE');
      try {
        const result = await work(tx);
        await this.#exec('COMMIT');
        return result;
      } catch (error) {
        await this.#exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    };
    return this.#exclusive(body);
  }

  /** The last fault SQLite reported about the archive itself, if it still holds (see DatabaseFault). */
  get fault(): DatabaseFault | null {
    return this.#fault;
  }

  /**
   * Whether the archive can be written now: a write that changes nothing, rolled back. BEGIN
   * IMMEDIATE alone is not enough — in WAL mode SQLite grants the write lock on a read-only file and
   * refuses only the first write (SQLITE_READONLY). Null when writable (or when it cannot tell:
   * another writer holds the lock past busy_timeout), else the fault.
   */
  async writeProblem(): Promise<DatabaseFault | null> {
    try {
      await this.#exclusive(async () => {
        await this.#exec('BEGIN IMMEDIATE');
        try {
          await this.#exec('DELETE FROM runs WHERE 0');
        } finally {
          await this.#exec('ROLLBACK').catch(() => undefined);
        }
      });
      this.#wrote();
      return null;
    } catch (error) {
      const kind = FAULT_KINDS[(error as { code?: string }).code ?? ''];
      if (!kind) return null;
      return { kind, message: error instanceof Error ? error.message.replace(/ \(in: .*\)$/, '') : String(error), at: new Date().toISOString() };
    }
  }

  /**
   * `PRAGMA quick_check` on a connection of its own, read-only, so the check (seconds on a large
   * archive) does not hold up the queries of this one. Null when the file is sound, else what is wrong.
   */
  async integrityProblem(): Promise<string | null> {
    if (this.path === ':memory:') return null;
    const rows = await new Promise<{ quick_check: string }[]>((done, fail) => {
      const checker = new sqlite3.Database(this.path, sqlite3.OPEN_READONLY, (error) => {
        if (error) return fail(error);
        checker.all('PRAGMA quick_check', (checkError: Error | null, found: { quick_check: string }[]) => {
          checker.close(() => (checkError ? fail(checkError) : done(found)));
        });
      });
    }).catch((error: Error) => {
      // Only SQLite's own verdict counts; a check that could not run (a read-only folder, say) says nothing.
      if (FAULT_KINDS[(error as { code?: string }).code ?? ''] === 'corrupt') return [{ quick_check: error.message }];
      return [];
    });
    // FTS5's part of the check needs to write; on a read-only connection it says so, which is no corruption.
    const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok' && !/attempt to write a readonly database/.test(line));
    if (problems.length === 0) return null;
    this.#noteFault(Object.assign(new Error(problems.join('; ')), { code: 'SQLITE_CORRUPT' }));
    return problems.slice(0, 3).join('; ');
  }

  async close(): Promise<void> {
    await this.#lock;
    const statements = await Promise.allSettled(this.#statements.values());
    this.#statements.clear();
    for (const statement of statements) if (statement.status === 'fulfilled') statement.value.finalize();
    await new Promise<void>((done, fail) => this.#db.close((error) => (error ? fail(error) : done())));
  }

  /** Remembers a fault about the archive itself; a write that succeeds ends a read-only or full one. */
  #noteFault(error: Error): void {
    const kind = FAULT_KINDS[(error as { code?: string }).code ?? ''];
    if (kind && this.#fault?.kind !== 'corrupt') this.#fault = { kind, message: error.message, at: new Date().toISOString() };
  }

  #wrote(): void {
    if (this.#fault && this.#fault.kind !== 'corrupt') this.#fault = null;
  }

  /** One statement or transaction at a time, in call order. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.#lock.then(work);
    this.#lock = turn.catch(() => undefined);
    return turn;
  }

  /** Prepared once per distinct SQL text; a failed prepare is not cached. */
  #statement(sql: string): Promise<sqlite3.Statement> {
    const cached = this.#statements.get(sql);
    if (cached) return cached;
    const prepared = new Promise<sqlite3.Statement>((done, fail) => {
      const statement = this.#db.prepare(sql, (error) => {
        if (!error) return done(statement);
        this.#statements.delete(sql);
        fail(this.#failed(error, sql));
      });
    });
    if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#evictOldest();
    this.#statements.set(sql, prepared);
    return prepared;
  }

  #evictOldest(): void {
    const [oldest] = this.#statements;
    if (!oldest) return;
    this.#statements.delete(oldest[0]);
    oldest[1].then((statement) => statement.finalize()).catch(() => undefined);
  }

  async #run(sql: string, params: SqlParams): Promise<RunResult> {
    const statement = await this.#statement(sql);
    return new Promise((done, fail) => {
      const database = this;
      statement.run(params, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) return fail(database.#failed(error, sql));
        if (this.changes > 0) database.#wrote();
        done({ changes: this.changes, lastId: this.lastID });
      });
    });
  }

  async #all<T>(sql: string, params: SqlParams): Promise<T[]> {
    const statement = await this.#statement(sql);
    return new Promise((done, fail) => {
      statement.all(params, (error: Error | null, rows: T[]) => (error ? fail(this.#failed(error, sql)) : done(rows)));
    });
  }

  #exec(sql: string): Promise<void> {
    return new Promise((done, fail) =>
      this.#db.exec(sql, (error) => {
        if (error) return fail(this.#failed(error, sql));
        if (sql === 'COMMIT') this.#wrote();
        done();
      }),
    );
  }

  #failed(error: Error, sql: string): Error {
    this.#noteFault(error);
    return withSql(error, sql);
  }
}

/**
 * Makes the archive's folder one level at a time. `mkdirSync(…, { recursive: true })` never returns
 * for a path under /proc (Node loops on its ENOENT), and one level at a time names the level that failed.
 */
function makeFolder(folder: string, url: string): void {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw Object.assign(new DatabaseOpenError(`DATABASE_URL=${url}: cannot create the folder ${level} (${reason})`), { cause: error });
    }
  }
}

function withSql(error: Error, sql: string): Error {
  const wrapped = new Error(`${error.message} (in: ${sql.replace(/\s+/g, ' ').slice(0, 160)})`, { cause: error });
  Object.assign(wrapped, { code: (error as { code?: string }).code });
  return wrapped;
}

async function migrate(db: Database): Promise<void> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  const current = row?.user_version ?? 0;
  const known = MIGRATIONS.at(-1)?.version ?? 0;
  // An older build would write rows the newer schema's code does not expect; refuse instead.
  if (current > known) {
    throw new Error(`the database is at schema version ${current}, newer than this build knows (${known}): run a newer lmsys-papers`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.exec(`PRAGMA user_version = ${migration.version}`);
    });
  }
}
