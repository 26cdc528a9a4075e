import type { ComparedText } from '../domain/paper-terms.ts';
import type { Queryable } from './db.ts';

/** A relevant paper without a vector in the space, with the text to embed. */
export type PaperToEmbed = ComparedText & { readonly id: string };

export type StoredEmbedding = { readonly paperId: string; readonly vector: Float32Array; readonly tokens: number };

/**
 * Relevant papers without a vector in `space`, newest announcement first: a new day's papers before the backlog
 * of older ones (vectors are dropped by a trigger when a paper's text changes, so a missing row is
 * all there is to find).
 */
export async function papersToEmbed(q: Queryable, space: string, limit: number): Promise<PaperToEmbed[]> {
  return q.all<PaperToEmbed>(
    `SELECT p.id, p.title, p.abstract, c.tldr FROM papers p JOIN classifications c ON c.paper_id = p.id
     WHERE c.relevant = 1 AND NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_id = p.id AND e.space = ?)
     ORDER BY p.announced_on DESC, p.pk DESC LIMIT ?`,
    [space, limit],
  );
}

/** How many relevant papers have a vector in `space`, and how many relevant papers there are. */
export async function embeddingCoverage(q: Queryable, space: string): Promise<{ embedded: number; relevant: number }> {
  const row = await q.get<{ embedded: number; relevant: number }>(
    `SELECT (SELECT COUNT(*) FROM paper_embeddings e JOIN classifications c ON c.paper_id = e.paper_id WHERE e.space = ? AND c.relevant = 1) AS embedded,
            (SELECT COUNT(*) FROM classifications WHERE relevant = 1) AS relevant`,
    [space],
  );
  return { embedded: row?.embedded ?? 0, relevant: row?.relevant ?? 0 };
}

export async function saveEmbeddings(tx: Queryable, space: string, embeddings: readonly StoredEmbedding[], now: string): Promise<void> {
  for (const embedding of embeddings) {
    await tx.run(
      `INSERT INTO paper_embeddings (paper_id, space, dimensions, vector, tokens, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (paper_id, space) DO UPDATE SET dimensions = excluded.dimensions, vector = excluded.vector, tokens = excluded.tokens,
         created_at = excluded.created_at`,
      [embedding.paperId, space, embedding.vector.length, vectorBlob(embedding.vector), embedding.tokens, now],
    );
  }
}

/** A paper's vector in `space`, or null. */
export async function embeddingOf(q: Queryable, paperId: string, space: string): Promise<Float32Array | null> {
  const row = await q.get<{ vector: Uint8Array }>('SELECT vector FROM paper_embeddings WHERE paper_id = ? AND space = ?', [paperId, space]);
  return row ? blobVector(row.vector) : null;
}

/** The vectors in `space` of the papers with these pks. */
export async function embeddingsByPk(q: Queryable, space: string, pks: readonly number[]): Promise<Map<number, Float32Array>> {
  if (pks.length === 0) return new Map();
  const rows = await q.all<{ pk: number; vector: Uint8Array }>(
    `SELECT p.pk, e.vector FROM paper_embeddings e JOIN papers p ON p.id = e.paper_id
     WHERE e.space = ? AND p.pk IN (SELECT value FROM json_each(?))`,
    [space, JSON.stringify(pks)],
  );
  return new Map(rows.map((row) => [row.pk, blobVector(row.vector)]));
}

/** Little-endian float32, whatever the machine (a database file moves between machines). */
export function vectorBlob(vector: Float32Array): Uint8Array {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < vector.length; index++) view.setFloat32(index * 4, vector[index] as number, true);
  return bytes;
}

export function blobVector(blob: Uint8Array): Float32Array {
  const length = Math.floor(blob.byteLength / 4);
  // On a little-endian machine (all that Node runs on in practice) the bytes are the floats: one copy.
  if (LITTLE_ENDIAN) return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + length * 4));
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const vector = new Float32Array(length);
  for (let index = 0; index < length; index++) vector[index] = view.getFloat32(index * 4, true);
  return vector;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
