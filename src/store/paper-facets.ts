/** Which papers may be returned: the filters of a `like:` query, checked in memory. */
export type PaperFilter = {
  readonly from: string | null;
  readonly to: string | null;
  /** Every one of these tags. */
  readonly tags: readonly string[];
  /** At least one tag of each group. */
  readonly anyTags: readonly (readonly string[])[];
  readonly excludedTags: readonly string[];
  /** Papers stored later than the first page are left out of later pages. */
  readonly maxPk: number | null;
  /** The paper the neighbours are of. */
  readonly excludePk: number | null;
};

export const NO_FILTER: PaperFilter = { from: null, to: null, tags: [], anyTags: [], excludedTags: [], maxPk: null, excludePk: null };

/**
 * What an in-memory index knows of each of its papers besides their text or vector: row, day and
 * tags, as typed arrays (12 bytes and a few tag ids per paper), so that dates and tags filter
 * neighbours without a query.
 */
export class PaperFacets {
  readonly #pks: Int32Array;
  readonly #days: Int32Array;
  readonly #tagStart: Uint32Array;
  readonly #tagIds: Uint16Array;
  readonly #tagNames: ReadonlyMap<string, number>;

  constructor(parts: { pks: Int32Array; days: Int32Array; tagStart: Uint32Array; tagIds: Uint16Array; tagNames: ReadonlyMap<string, number> }) {
    this.#pks = parts.pks;
    this.#days = parts.days;
    this.#tagStart = parts.tagStart;
    this.#tagIds = parts.tagIds;
    this.#tagNames = parts.tagNames;
  }

  get size(): number {
    return this.#pks.length;
  }

  get bytes(): number {
    return this.#pks.byteLength + this.#days.byteLength + this.#tagStart.byteLength + this.#tagIds.byteLength;
  }

  pk(paper: number): number {
    return this.#pks[paper] as number;
  }

  /** The tie-break between equally similar papers: the newest day, then the newest row. */
  newer(a: number, b: number): boolean {
    if (this.#days[a] !== this.#days[b]) return (this.#days[a] as number) > (this.#days[b] as number);
    return (this.#pks[a] as number) > (this.#pks[b] as number);
  }

  accepts(filter: PaperFilter): (paper: number) => boolean {
    const from = filter.from ? dayNumber(filter.from) : null;
    const to = filter.to ? dayNumber(filter.to) : null;
    const ids = (names: readonly string[]) => names.map((name) => this.#tagNames.get(name) ?? -1);
    const required = ids(filter.tags);
    const groups = filter.anyTags.map(ids);
    const excluded = ids(filter.excludedTags).filter((id) => id >= 0);
    const byTags = required.length + groups.length + excluded.length > 0;
    return (paper) => {
      const pk = this.#pks[paper] as number;
      if (pk === filter.excludePk || (filter.maxPk !== null && pk > filter.maxPk)) return false;
      const day = this.#days[paper] as number;
      if ((from !== null && day < from) || (to !== null && (day === 0 || day > to))) return false;
      if (!byTags) return true;
      const has = (id: number) => this.#hasTag(paper, id);
      return required.every(has) && groups.every((group) => group.some(has)) && !excluded.some(has);
    };
  }

  /** A scan of the paper's few tag ids: no view allocated per paper (a tag filter checks tens of thousands). */
  #hasTag(paper: number, id: number): boolean {
    for (let index = this.#tagStart[paper] as number; index < (this.#tagStart[paper + 1] as number); index++) if (this.#tagIds[index] === id) return true;
    return false;
  }
}

/** Collects the facets of papers one at a time. */
export class PaperFacetsBuilder {
  readonly #pks: number[] = [];
  readonly #days: number[] = [];
  readonly #tagIds: number[] = [];
  readonly #tagStart: number[] = [0];
  readonly #tagNames = new Map<string, number>();

  get size(): number {
    return this.#pks.length;
  }

  add(pk: number, day: string | null, tags: readonly string[]): void {
    this.#pks.push(pk);
    this.#days.push(day ? dayNumber(day) : 0);
    for (const tag of new Set(tags)) {
      let id = this.#tagNames.get(tag);
      if (id === undefined) {
        id = this.#tagNames.size;
        this.#tagNames.set(tag, id);
      }
      this.#tagIds.push(id);
    }
    this.#tagStart.push(this.#tagIds.length);
  }

  build(): PaperFacets {
    return new PaperFacets({
      pks: Int32Array.from(this.#pks),
      days: Int32Array.from(this.#days),
      tagStart: Uint32Array.from(this.#tagStart),
      tagIds: Uint16Array.from(this.#tagIds),
      tagNames: this.#tagNames,
    });
  }
}

/** A tags column (JSON) as a list; anything else as none. */
export function parseTags(json: string | null): string[] {
  if (!json) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : [];
}

/** `2025-12-19` → 20251219, so days compare as integers. */
function dayNumber(day: string): number {
  return Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));
}
