import { describe, expect, it } from 'vitest';
import { dense, dot, indexDay, project, scoreDay } from '../../src/domain/day-index.ts';
import { logOdds } from '../../src/domain/linear-model.ts';
import { personalFeatures, trainPersonalModel } from '../../src/domain/personal-model.ts';

const paper = (title: string, tags: string[] = []) => personalFeatures({ title, abstract: `${title} in practice.`, tldr: null, tags });

describe('a day of papers indexed for many models', () => {
  const day = [paper('Paged KV cache for serving', ['serving']), paper('Byzantine consensus at scale'), paper('KV cache offloading to CPU', ['offloading'])];
  const model = trainPersonalModel({
    liked: [paper('KV cache eviction'), paper('Prefix KV cache'), paper('KV cache compression'), paper('Paged attention'), paper('KV cache sharing')],
    disliked: [paper('Raft consensus'), paper('Blockchain sharding'), paper('Paxos made simple')],
    alerted: [],
    background: [],
  });

  it('GIVEN a model THEN each paper scores exactly what logOdds gives, and the scratch space is left clean for the next model', () => {
    const index = indexDay(day);
    const scratch = new Float64Array(index.words.size);
    expect([...scoreDay(index, model, scratch)]).toEqual(day.map((vector) => logOdds(model, vector)));
    expect(scratch.every((value) => value === 0)).toBe(true);
  });

  it('GIVEN a liked paper THEN its overlap with a day paper, through the day’s words only, is their dot product', () => {
    const index = indexDay(day);
    const liked = paper('KV cache eviction', ['serving']);
    const full = [...liked].reduce((sum, [word, value]) => sum + value * (day[0]?.get(word) ?? 0), 0);
    expect(dot(project(index, liked), dense(index, 0))).toBeCloseTo(full, 12);
    expect(dot(project(index, liked), dense(index, 1))).toBeLessThan(dot(project(index, liked), dense(index, 0)));
  });
});
