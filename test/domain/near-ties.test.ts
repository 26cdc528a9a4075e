import { describe, expect, it } from 'vitest';
import { bandEnd, orderNearTies } from '../../src/domain/near-ties.ts';

const text = (bm25: number, name: string) => ({ bm25, day: '2025-12-18', name });
const dated = (day: string, name: string) => ({ bm25: null, day, name });

describe('near-ties', () => {
  it('GIVEN BM25 scores THEN a band holds the results within 5 % of its first, and the next band starts after', () => {
    const items = [text(-20, 'a'), text(-19.5, 'b'), text(-19.05, 'c'), text(-18.9, 'd'), text(-10, 'e')];
    expect(bandEnd(items, 0)).toBe(3);
    expect(bandEnd(items, 3)).toBe(4);
    expect(bandEnd(items, 4)).toBe(5);
  });

  it('GIVEN near-ties THEN they go by the person’s score and bands keep the query’s order', () => {
    const items = [text(-20, 'a'), text(-19.5, 'b'), text(-19.05, 'c'), text(-10, 'd'), text(-9.8, 'e')];
    const score: Record<string, number> = { a: 0, b: 2, c: 1, d: -1, e: 5 };
    expect(orderNearTies(items, (item) => score[item.name] as number).map((item) => item.name)).toEqual(['b', 'c', 'a', 'e', 'd']);
    // Equal scores keep the query's order; a limit stops after the bands it needs.
    expect(orderNearTies(items, () => 0).map((item) => item.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(orderNearTies(items, (item) => score[item.name] as number, 2).map((item) => item.name)).toEqual(['b', 'c']);
  });

  it('GIVEN a search without text THEN the papers of one day are the ties', () => {
    const items = [dated('2025-12-18', 'a'), dated('2025-12-18', 'b'), dated('2025-12-17', 'c'), dated('2025-12-17', 'd')];
    expect(orderNearTies(items, (item) => (item.name === 'b' || item.name === 'd' ? 1 : 0)).map((item) => item.name)).toEqual(['b', 'a', 'd', 'c']);
  });
});
