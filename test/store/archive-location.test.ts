import { describe, expect, it } from 'vitest';
import { describeArchiveFile } from '../../src/store/archive-location.ts';

describe('which archive file a message names', () => {
  it('GIVEN an archive under the working directory THEN it is named relative to that directory', () => {
    expect(describeArchiveFile('/home/me/bot/data/lmsys-papers.db', '/home/me/bot')).toBe('data/lmsys-papers.db relative to /home/me/bot');
  });

  it('GIVEN an archive elsewhere THEN its absolute path is named', () => {
    expect(describeArchiveFile('/data/lmsys-papers.db', '/app')).toBe('/data/lmsys-papers.db');
    expect(describeArchiveFile('/home/me/other/x.db', '/home/me/bot')).toBe('/home/me/other/x.db');
  });

  it('GIVEN an in-memory archive THEN the setting is named', () => {
    expect(describeArchiveFile(':memory:', '/app')).toBe('an in-memory archive (DATABASE_URL=sqlite://:memory:)');
  });
});
