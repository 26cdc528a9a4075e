import type { Queryable } from './db.ts';
import { blobVector } from './embeddings.ts';
import { type PaperFacets, PaperFacetsBuilder, type PaperFilter, parseTags } from './paper-facets.ts';
import { TopK } from './top-k.ts';

/** Rows read per query while building (a 1,536-dimension vector is 6 KiB). */
const CHUNK = 500;

/**
 * Nearest neighbours over embeddings, in two steps. In memory each paper keeps only the signs of
 * its vector's components (less the archive's mean vector, so that models whose vectors share a
 * common offset still split): 1,536 dimensions are 192 bytes, 18 MiB for 100,000 papers instead of
 * 586 MiB of floats. A query ranks every paper by the Hamming distance of those bits (popcount
 * over 32-bit words, some 14 times cheaper than the float dot products) and re-ranks the closest
 * candidates by their exact cosine, read from the archive. See `npm run bench like`.
 */
export class EmbeddingIndex {
  readonly facets: PaperFacets;
  readonly dimensions: number;
  readonly #mean: Float32Array;
  readonly #words: number;
  readonly #bits: Int32Array;

  constructor(parts: { facets: PaperFacets; dimensions: number; mean: Float32Array; bits: Int32Array }) {
    this.facets = parts.facets;
    this.dimensions = parts.dimensions;
    this.#mean = parts.mean;
    this.#words = wordsFor(parts.dimensions);
    this.#bits = parts.bits;
  }

  get size(): number {
    return this.facets.size;
  }

  get bytes(): number {
    return this.facets.bytes + this.#bits.byteLength + this.#mean.byteLength;
  }

  /** The pks of the `count` papers passing `filter` whose sign bits are closest to `vector`'s, closest first. */
  candidates(vector: Float32Array, filter: PaperFilter, count: number): number[] {
    if (vector.length !== this.dimensions) return [];
    const query = signBits(vector, this.#mean, new Int32Array(this.#words), 0);
    const words = this.#words;
    const distances = new Uint16Array(this.size);
    const accept = this.facets.accepts(filter);
    const best = new TopK(count, (a, b) => (distances[a] as number) < (distances[b] as number) || (distances[a] === distances[b] && this.facets.newer(a, b)));
    for (let paper = 0, offset = 0; paper < this.size; paper++, offset += words) {
      if (!accept(paper)) continue;
      let distance = 0;
      for (let word = 0; word < words; word++) distance += popcount((this.#bits[offset + word] as number) ^ (query[word] as number));
      distances[paper] = distance;
      best.offer(paper);
    }
    return best.sorted().map((paper) => this.facets.pk(paper));
  }
}

type EmbeddingRow = { id: number; pk: number; day: string | null; tags: string; vector: Uint8Array };

/**
 * Builds the index of the relevant papers' vectors in `space`, a chunk at a time. The mean vector
 * comes from the first chunk: an estimate, which is all the signs need.
 */
export async function loadEmbeddingIndex(q: Queryable, space: string): Promise<EmbeddingIndex | null> {
  const facets = new PaperFacetsBuilder();
  let mean: Float32Array | null = null;
  let bits: Int32Array = new Int32Array(0);
  let dimensions = 0;
  for (let after = 0; ; ) {
    const rows = await q.all<EmbeddingRow>(
      `SELECT e.id, p.pk, p.announced_on AS day, c.tags, e.vector FROM paper_embeddings e
       JOIN papers p ON p.id = e.paper_id JOIN classifications c ON c.paper_id = e.paper_id
       WHERE e.space = ? AND e.id > ? AND c.relevant = 1 ORDER BY e.id LIMIT ?`,
      [space, after, CHUNK],
    );
    const vectors = rows.map((row) => blobVector(row.vector));
    if (!mean && vectors.length) {
      dimensions = (vectors[0] as Float32Array).length;
      mean = meanOf(vectors.filter((vector) => vector.length === dimensions));
    }
    if (mean) {
      const words = wordsFor(dimensions);
      bits = reserve(bits, (facets.size + rows.length) * words);
      rows.forEach((row, index) => {
        const vector = vectors[index] as Float32Array;
        if (vector.length !== dimensions) return;
        signBits(vector, mean as Float32Array, bits, facets.size * words);
        facets.add(row.pk, row.day, parseTags(row.tags));
      });
    }
    if (rows.length < CHUNK) break;
    after = (rows.at(-1) as EmbeddingRow).id;
  }
  if (!mean || facets.size === 0) return null;
  return new EmbeddingIndex({ facets: facets.build(), dimensions, mean, bits: bits.slice(0, facets.size * wordsFor(dimensions)) });
}

/** Cosine of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index] as number) * (b[index] as number);
  return sum;
}

function wordsFor(dimensions: number): number {
  return Math.ceil(dimensions / 32);
}

/** Writes the signs of `vector - mean` into `into` from `offset`, one bit per component. */
function signBits(vector: Float32Array, mean: Float32Array, into: Int32Array, offset: number): Int32Array {
  for (let word = 0; word < wordsFor(vector.length); word++) {
    let bits = 0;
    for (let bit = 0; bit < 32; bit++) {
      const index = word * 32 + bit;
      if (index < vector.length && (vector[index] as number) > (mean[index] as number)) bits |= 1 << bit;
    }
    into[offset + word] = bits;
  }
  return into;
}

function meanOf(vectors: readonly Float32Array[]): Float32Array {
  const mean = new Float32Array((vectors[0] as Float32Array).length);
  for (const vector of vectors) for (let index = 0; index < mean.length; index++) mean[index] = (mean[index] as number) + (vector[index] as number);
  for (let index = 0; index < mean.length; index++) mean[index] = (mean[index] as number) / vectors.length;
  return mean;
}

/** Bits set in a 32-bit word (SWAR: JavaScript has no popcount instruction). */
function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function reserve(array: Int32Array, length: number): Int32Array {
  if (length <= array.length) return array;
  const grown = new Int32Array(Math.max(length, array.length * 2));
  grown.set(array);
  return grown;
}
