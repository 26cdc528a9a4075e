import { describe, expect, it } from 'vitest';
import { blobVector, vectorBlob } from '../../src/store/embeddings.ts';

describe('vectors as blobs', () => {
  it('GIVEN a vector THEN its blob is little-endian float32 and reads back exactly, wherever the blob sits in its buffer', () => {
    const vector = Float32Array.from([0.5, -0.25, 1e-7, 3.4e38]);
    const blob = vectorBlob(vector);
    expect(Array.from(blob.slice(0, 4))).toEqual([0, 0, 0, 63]);
    const inside = new Uint8Array(3 + blob.length);
    inside.set(blob, 3);
    expect(blobVector(inside.subarray(3))).toEqual(vector);
    expect(blobVector(blob)).toEqual(vector);
  });
});
