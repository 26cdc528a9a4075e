import type { Logger } from 'pino';
import type { SimilarMethod } from '../domain/describe-query.ts';
import { UserError } from '../domain/errors.ts';
import type { Paper } from '../domain/paper.ts';
import type { Query } from '../domain/query.ts';
import type { Database, Queryable } from './db.ts';
import { cosine, type EmbeddingIndex, loadEmbeddingIndex } from './embedding-index.ts';
import { embeddingCoverage, embeddingsByPk } from './embeddings.ts';
import { loadTermIndex } from './load-term-index.ts';
import type { PaperFilter } from './paper-facets.ts';
import { PAPER_COLUMNS, PAPER_FROM, type PaperRow, toPaper } from './paper-rows.ts';
import type { SearchPage, SearchPaging } from './search.ts';
import type { TermIndex } from './term-index.ts';

export type SimilarPage = SearchPage & { readonly source: Paper; readonly method: SimilarMethod };

/** Embeddings as "more like this" uses them; null when OPENAI_EMBEDDING_MODEL is not set. */
export type SimilarEmbeddings = {
  readonly space: string;
  /** The paper's vector, embedding it now when it has none yet; null when that cannot be done (the cap, the server). */
  vectorOf(paper: Paper): Promise<Float32Array | null>;
};

export type SimilarPapersOptions = {
  readonly db: Database;
  readonly log: Logger;
  readonly embeddings: SimilarEmbeddings | null;
};

/**
 * Embeddings replace words once this share of the relevant papers has a vector: until the backlog
 * is embedded (`lmsys-papers embed`, or a few runs), neighbours by words miss nothing.
 */
export const EMBEDDING_COVERAGE = 0.9;

/** Candidates by sign bits re-ranked by their exact cosine: a few times a page, at least this many. */
const RERANKED = 200;

/** Thrown by `find` with `maxWaitMs` when the index is still being built for the first time. */
export class IndexNotReady extends Error {
  override readonly name = 'IndexNotReady';
}

/**
 * "More like this": the relevant papers nearest to one paper of the archive, filtered by a query's
 * dates and tags. The indexes live in memory, built on first use from the archive and rebuilt in
 * the background when it has changed (new relevant papers, a run recorded, new vectors); a query
 * in the meantime is answered from the previous build, and every paper shown is read back from
 * the archive, so a paper deleted or judged irrelevant since is left out, never shown stale.
 */
export class SimilarPapers {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #embeddings: SimilarEmbeddings | null;
  readonly #terms: Rebuilt<TermIndex>;
  readonly #vectors: Rebuilt<{ index: EmbeddingIndex | null; covered: boolean }> | null;

  constructor(options: SimilarPapersOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#embeddings = options.embeddings;
    this.#terms = new Rebuilt(
      'words',
      options.log,
      async () => (await archiveSignature(this.#db)).words,
      () => loadTermIndex(this.#db),
    );
    const embeddings = options.embeddings;
    this.#vectors = embeddings
      ? new Rebuilt(
          'embeddings',
          options.log,
          async () => (await archiveSignature(this.#db)).embeddings,
          async () => {
            const coverage = await embeddingCoverage(this.#db, embeddings.space);
            const index = await loadEmbeddingIndex(this.#db, embeddings.space);
            return { index, covered: coverage.relevant > 0 && coverage.embedded >= EMBEDDING_COVERAGE * coverage.relevant };
          },
        )
      : null;
  }

  /**
   * The page of `query.like`'s neighbours. An id the archive does not hold is a UserError. With
   * `maxWaitMs`, a first build that takes longer throws IndexNotReady (the web page shows the
   * paper without its neighbours rather than keep a reader waiting).
   */
  async find(query: Query, paging: SearchPaging, options: { readonly maxWaitMs?: number } = {}): Promise<SimilarPage> {
    if (!query.like) throw new Error('find needs a like: query');
    const source = await sourcePaper(this.#db, query.like);
    if (!source)
      throw new UserError(
        `The archive has no paper ${query.like}. \`like:\` takes a paper it holds: search for one with \`/papers\` and words from its title.`,
      );
    const filter = paperFilter(query, paging, source.pk);
    const need = paging.offset + paging.limit + 1;
    const byVectors = await this.#nearestByEmbeddings(source.paper, filter, need, options.maxWaitMs);
    const method: SimilarMethod = byVectors ? 'embeddings' : 'words';
    const pks = byVectors ?? (await this.#terms.current(options.maxWaitMs)).nearest(paperText(source.paper), filter, need).map((neighbour) => neighbour.pk);
    const papers = await relevantInOrder(this.#db, pks.slice(paging.offset, paging.offset + paging.limit));
    return { papers, hasMore: pks.length > paging.offset + paging.limit, query, narrowed: false, source: source.paper, method };
  }

  /** Rebuilds whatever index is out of date and waits for it. */
  async refresh(): Promise<void> {
    await this.#terms.refresh();
    await this.#vectors?.refresh();
  }

  /** Waits for a build under way, so that the archive is not closed under one. */
  async close(): Promise<void> {
    await this.#terms.settled();
    await this.#vectors?.settled();
  }

  /** Neighbours by embeddings, or null to use words (not configured, too few vectors yet, or no vector for the paper). */
  async #nearestByEmbeddings(paper: Paper, filter: PaperFilter, need: number, maxWaitMs: number | undefined): Promise<number[] | null> {
    if (!this.#embeddings || !this.#vectors) return null;
    const { index, covered } = await this.#vectors.current(maxWaitMs);
    if (!index || !covered) return null;
    const vector = await this.#embeddings.vectorOf(paper);
    if (!vector || vector.length !== index.dimensions) {
      this.#log.warn({ paperId: paper.id }, 'no embedding for the paper, neighbours by words');
      return null;
    }
    const candidates = index.candidates(vector, filter, Math.max(RERANKED, 4 * need));
    const vectors = await embeddingsByPk(this.#db, this.#embeddings.space, candidates);
    // Stable: equal cosines keep the candidates' order (closest bits, then newest).
    return candidates
      .map((pk) => ({ pk, score: cosine(vector, vectors.get(pk) ?? new Float32Array(0)) }))
      .filter((candidate) => candidate.score > -1)
      .sort((a, b) => b.score - a.score)
      .slice(0, need)
      .map((candidate) => candidate.pk);
  }
}

/**
 * An index built from the archive, rebuilt when `signature` changes. The first use waits for the
 * build; later changes rebuild in the background while the previous build answers.
 */
class Rebuilt<T> {
  readonly #name: string;
  readonly #log: Logger;
  readonly #signature: () => Promise<string>;
  readonly #build: () => Promise<T>;
  #built: { value: T; signature: string } | null = null;
  #building: Promise<void> | null = null;

  constructor(name: string, log: Logger, signature: () => Promise<string>, build: () => Promise<T>) {
    this.#name = name;
    this.#log = log;
    this.#signature = signature;
    this.#build = build;
  }

  async current(maxWaitMs?: number): Promise<T> {
    const signature = await this.#signature();
    if (this.#built && this.#built.signature !== signature) void this.#start(signature).catch(() => undefined);
    if (this.#built) return this.#built.value;
    await waitAtMost(this.#start(signature), maxWaitMs);
    return (this.#built as unknown as { value: T }).value;
  }

  async refresh(): Promise<void> {
    if (this.#built && this.#built.signature === (await this.#signature())) return;
    await this.#start(await this.#signature());
  }

  async settled(): Promise<void> {
    await this.#building?.catch(() => undefined);
  }

  /** One build at a time; a caller that arrives during one waits for it. */
  #start(signature: string): Promise<void> {
    this.#building ??= (async () => {
      const started = performance.now();
      try {
        const value = await this.#build();
        this.#built = { value, signature };
        this.#log.info({ index: this.#name, ms: Math.round(performance.now() - started) }, 'similarity index built');
      } catch (error) {
        this.#log.error({ err: error, index: this.#name }, 'similarity index build failed');
        throw error;
      } finally {
        this.#building = null;
      }
    })();
    return this.#building;
  }
}

async function waitAtMost(work: Promise<void>, maxWaitMs: number | undefined): Promise<void> {
  if (maxWaitMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new IndexNotReady('the similarity index is still being built')), maxWaitMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What tells an index that the archive changed, in index lookups well under a millisecond. Words:
 * relevant papers added (the newest full-text row), or a run that can change verdicts or text
 * (classification, import, ingest of new versions). Embeddings: those, or a run that embedded
 * papers in bulk — not the one paper a `like:` embeds on the spot, which would otherwise rebuild
 * the whole index for one vector (it joins at the next build; its own query reads it directly).
 */
async function archiveSignature(q: Queryable): Promise<{ words: string; embeddings: string }> {
  const row = await q.get<{ fts: number; runs: number; embeds: number }>(
    `SELECT (SELECT COALESCE(MAX(rowid), 0) FROM papers_fts) AS fts,
            (SELECT COALESCE(MAX(id), 0) FROM runs WHERE kind IN ('classify', 'import', 'ingest')) AS runs,
            (SELECT COALESCE(MAX(id), 0) FROM runs WHERE kind = 'embed' AND source = 'pending') AS embeds`,
  );
  const words = `${row?.fts ?? 0}:${row?.runs ?? 0}`;
  return { words, embeddings: `${words}:${row?.embeds ?? 0}` };
}

async function sourcePaper(q: Queryable, id: string): Promise<{ paper: Paper; pk: number } | null> {
  const row = await q.get<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM} WHERE p.id = ?`, [id]);
  return row ? { paper: toPaper(row), pk: row.pk } : null;
}

/** The papers of `pks` that are still relevant, in that order. */
async function relevantInOrder(q: Queryable, pks: readonly number[]): Promise<Paper[]> {
  if (pks.length === 0) return [];
  const rows = await q.all<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM} WHERE c.relevant = 1 AND p.pk IN (SELECT value FROM json_each(?))`, [
    JSON.stringify(pks),
  ]);
  const byPk = new Map(rows.map((row) => [row.pk, row]));
  return pks.flatMap((pk) => {
    const row = byPk.get(pk);
    return row ? [toPaper(row)] : [];
  });
}

function paperFilter(query: Query, paging: SearchPaging, sourcePk: number): PaperFilter {
  return {
    from: query.range?.from ?? null,
    to: query.range?.to ?? null,
    tags: query.tags,
    anyTags: query.anyOf.map((group) => group.map((alternative) => alternative.value)),
    excludedTags: query.excludedTags,
    maxPk: paging.maxPk ?? null,
    excludePk: sourcePk,
  };
}

function paperText(paper: Paper): { title: string; abstract: string; tldr: string | null } {
  return { title: paper.title, abstract: paper.abstract, tldr: paper.classification.tldr };
}
