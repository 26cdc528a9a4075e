import { type ComparedText, paperTerms } from '../domain/paper-terms.ts';
import { type PaperFacets, PaperFacetsBuilder, type PaperFilter } from './paper-facets.ts';
import { TopK } from './top-k.ts';

/** A relevant paper as the index takes it in. */
export type IndexedPaper = { readonly pk: number; readonly day: string | null; readonly tags: readonly string[]; readonly text: ComparedText };

export type Neighbour = { readonly pk: number; readonly score: number };

/**
 * How many of its terms a paper keeps in the index: its most distinctive ones by tf-idf. 32
 * terms hold most of a paper's weight (titles and TL;DRs are short, abstracts repeat their
 * topic); the index is then 8 bytes × 32 per paper, 26 MiB for 100,000 papers.
 */
export const TERMS_PER_PAPER = 32;
/** How many terms of the paper asked about are looked up: the rest weigh too little to reorder the top. */
export const QUERY_TERMS = 48;

/**
 * An in-memory tf-idf index over the relevant papers, for "more like this". Each paper is a
 * vector of its terms weighted (1 + ln tf) · ln((1 + N) / (1 + df)), normalised to length 1 over
 * all its terms and truncated to its TERMS_PER_PAPER heaviest; a paper's neighbours are those with
 * the highest dot product (the cosine, less the truncated tail) with its own full vector. Only
 * inverted lists are kept, as typed arrays: a query touches the papers that share a distinctive
 * term with it, not the whole archive.
 */
export class TermIndex {
  readonly facets: PaperFacets;
  readonly #terms: ReadonlyMap<string, number>;
  readonly #df: Uint32Array;
  readonly #postingStart: Uint32Array;
  readonly #postingDocs: Uint32Array;
  readonly #postingWeights: Float32Array;
  #scores: Float64Array | null = null;

  constructor(parts: {
    facets: PaperFacets;
    terms: ReadonlyMap<string, number>;
    df: Uint32Array;
    postingStart: Uint32Array;
    postingDocs: Uint32Array;
    postingWeights: Float32Array;
  }) {
    this.facets = parts.facets;
    this.#terms = parts.terms;
    this.#df = parts.df;
    this.#postingStart = parts.postingStart;
    this.#postingDocs = parts.postingDocs;
    this.#postingWeights = parts.postingWeights;
  }

  get size(): number {
    return this.facets.size;
  }

  /** Bytes held by the typed arrays (the term dictionary comes on top). */
  get bytes(): number {
    return this.facets.bytes + [this.#df, this.#postingStart, this.#postingDocs, this.#postingWeights].reduce((sum, array) => sum + array.byteLength, 0);
  }

  /**
   * The best `need` papers that pass `filter`, most similar first (ties: newest day, then newest
   * row). Papers that share no indexed term with the text are not returned at all.
   */
  nearest(text: ComparedText, filter: PaperFilter, need: number): Neighbour[] {
    const query = this.#queryVector(text);
    // One buffer for every query (this runs synchronously), cleared where it was written.
    this.#scores ??= new Float64Array(this.size);
    const scores = this.#scores;
    const touched: number[] = [];
    for (const [term, weight] of query) {
      for (let index = this.#postingStart[term] as number; index < (this.#postingStart[term + 1] as number); index++) {
        const doc = this.#postingDocs[index] as number;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = (scores[doc] as number) + weight * (this.#postingWeights[index] as number);
      }
    }
    const accept = this.facets.accepts(filter);
    const best = new TopK(need, (a, b) => (scores[a] as number) > (scores[b] as number) || (scores[a] === scores[b] && this.facets.newer(a, b)));
    for (const doc of touched) if (accept(doc)) best.offer(doc);
    const found = best.sorted().map((doc) => ({ pk: this.facets.pk(doc), score: scores[doc] as number }));
    for (const doc of touched) scores[doc] = 0;
    return found;
  }

  /**
   * The text's heaviest QUERY_TERMS indexed terms with their tf-idf weights, normalised over all
   * its terms, so that a score is a cosine (between 0 and 1, less the truncated tails).
   */
  #queryVector(text: ComparedText): [number, number][] {
    const weighted: [number, number][] = [];
    let norm = 0;
    for (const [word, count] of paperTerms(text)) {
      const term = this.#terms.get(word);
      // A word no indexed paper has weighs as much as the rarest indexed one.
      const weight = (1 + Math.log(count)) * idf(this.size, term === undefined ? 1 : (this.#df[term] as number));
      norm += weight * weight;
      if (term !== undefined) weighted.push([term, weight]);
    }
    const length = Math.sqrt(norm) || 1;
    return weighted
      .sort((a, b) => b[1] - a[1])
      .slice(0, QUERY_TERMS)
      .map(([term, weight]) => [term, weight / length]);
  }
}

/** Collects papers one at a time, then builds the index: document frequencies need every paper first. */
export class TermIndexBuilder {
  readonly #terms = new Map<string, number>();
  #df = new Uint32Array(1024);
  #docTerms = new Uint32Array(4096);
  // Field weights are whole numbers, so counts are too; capped at 65,535 (a word that often is no topic).
  #docCounts = new Uint16Array(4096);
  #entries = 0;
  readonly #docStart: number[] = [0];
  readonly #facets = new PaperFacetsBuilder();

  get size(): number {
    return this.#facets.size;
  }

  add(paper: IndexedPaper): void {
    const counts = paperTerms(paper.text);
    this.#reserve(counts.size);
    for (const [word, count] of counts) {
      let term = this.#terms.get(word);
      if (term === undefined) {
        term = this.#terms.size;
        this.#terms.set(word, term);
        if (term >= this.#df.length) this.#df = grow(this.#df, term + 1);
      }
      this.#df[term] = (this.#df[term] as number) + 1;
      this.#docTerms[this.#entries] = term;
      this.#docCounts[this.#entries] = Math.min(count, 65_535);
      this.#entries++;
    }
    this.#docStart.push(this.#entries);
    this.#facets.add(paper.pk, paper.day, paper.tags);
  }

  build(): TermIndex {
    const papers = this.#facets.size;
    const terms = this.#terms.size;
    const df = this.#df.slice(0, terms);
    // Each paper's heaviest terms, as (term, doc, weight) triples; then grouped by term.
    const kept: { term: Uint32Array; doc: Uint32Array; weight: Float32Array } = {
      term: new Uint32Array(papers * TERMS_PER_PAPER),
      doc: new Uint32Array(papers * TERMS_PER_PAPER),
      weight: new Float32Array(papers * TERMS_PER_PAPER),
    };
    let count = 0;
    const perTerm = new Uint32Array(terms + 1);
    for (let doc = 0; doc < papers; doc++) {
      this.#heaviest(doc, papers, df, (term, weight) => {
        kept.term[count] = term;
        kept.doc[count] = doc;
        kept.weight[count] = weight;
        perTerm[term + 1] = (perTerm[term + 1] as number) + 1;
        count++;
      });
    }
    for (let term = 0; term < terms; term++) perTerm[term + 1] = (perTerm[term + 1] as number) + (perTerm[term] as number);
    const postingStart = perTerm.slice();
    const postingDocs = new Uint32Array(count);
    const postingWeights = new Float32Array(count);
    const cursor = perTerm;
    for (let index = 0; index < count; index++) {
      const term = kept.term[index] as number;
      const at = cursor[term] as number;
      postingDocs[at] = kept.doc[index] as number;
      postingWeights[at] = kept.weight[index] as number;
      cursor[term] = at + 1;
    }
    return new TermIndex({ facets: this.#facets.build(), terms: this.#terms, df, postingStart, postingDocs, postingWeights });
  }

  /**
   * A paper's TERMS_PER_PAPER heaviest terms shared with another paper, normalised over all its
   * terms. Weights go through scratch typed arrays and a native numeric sort: a hundred thousand
   * papers make no garbage here.
   */
  #heaviest(doc: number, papers: number, df: Uint32Array, keep: (term: number, weight: number) => void): void {
    const start = this.#docStart[doc] as number;
    const end = this.#docStart[doc + 1] as number;
    const weights = scratch(end - start);
    let shared = 0;
    let norm = 0;
    for (let index = start; index < end; index++) {
      const weight = (1 + Math.log(this.#docCounts[index] as number)) * idf(papers, df[this.#docTerms[index] as number] as number);
      norm += weight * weight;
      // A term no other paper has cannot make a neighbour.
      weights[index - start] = (df[this.#docTerms[index] as number] as number) > 1 ? weight : -1;
      if ((weights[index - start] as number) > 0) shared++;
    }
    if (norm === 0 || shared === 0) return;
    const length = Math.sqrt(norm);
    const threshold = shared <= TERMS_PER_PAPER ? 0 : (sortedCopy(weights, end - start)[end - start - TERMS_PER_PAPER] as number);
    let kept = 0;
    for (let index = start; index < end && kept < TERMS_PER_PAPER; index++) {
      const weight = weights[index - start] as number;
      if (weight <= 0 || weight < threshold) continue;
      keep(this.#docTerms[index] as number, weight / length);
      kept++;
    }
  }

  #reserve(more: number): void {
    if (this.#entries + more <= this.#docTerms.length) return;
    this.#docTerms = grow(this.#docTerms, this.#entries + more);
    this.#docCounts = grow(this.#docCounts, this.#entries + more);
  }
}

let scratchWeights = new Float64Array(1024);
let scratchSorted = new Float64Array(1024);

function scratch(length: number): Float64Array {
  if (length > scratchWeights.length) {
    scratchWeights = new Float64Array(length * 2);
    scratchSorted = new Float64Array(length * 2);
  }
  return scratchWeights;
}

/** The first `length` weights, ascending (a typed array sorts numerically, natively). */
function sortedCopy(weights: Float64Array, length: number): Float64Array {
  const sorted = scratchSorted.subarray(0, length);
  sorted.set(weights.subarray(0, length));
  return sorted.sort();
}

/** Smoothed inverse document frequency: 0 for a term in every paper, never negative. */
function idf(papers: number, df: number): number {
  return Math.log((1 + papers) / (1 + df));
}

function grow<T extends Uint32Array | Uint16Array>(array: T, atLeast: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(atLeast, array.length * 2));
  next.set(array);
  return next;
}
