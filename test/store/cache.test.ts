import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/store/cache.ts';
import { Database } from '../../src/store/db.ts';

describe('openCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN two namespaces on the archive file THEN values persist there and do not collide', async () => {
    const url = `sqlite://${join(dir, 'papers.db')}`;
    const db = await Database.open(url);
    const llm = openCache(url, 'llm');
    const http = openCache(url, 'http');
    await llm.set('2512.16473v1', { relevant: true });
    await http.set('2512.16473v1', 'etag-1');
    await llm.disconnect();
    await http.disconnect();

    const reopened = openCache(url, 'llm');
    expect(await reopened.get('2512.16473v1')).toEqual({ relevant: true });
    await reopened.disconnect();
    const keys = await db.all<{ key: string }>('SELECT key FROM keyv ORDER BY key');
    expect(keys.map((row) => row.key)).toEqual(['http:2512.16473v1', 'llm:2512.16473v1']);
    await db.close();
  });
});
