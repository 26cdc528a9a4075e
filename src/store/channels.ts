import type { Platform } from '../domain/delivery.ts';
import type { Queryable } from './db.ts';

export type Channel = { readonly platform: Platform; readonly channelId: string };

/** A channel's digest setting: `tags` empty = every relevant paper, else the papers with any of these tags. */
export type ChannelDigest = Channel & {
  readonly enabled: boolean;
  readonly tags: readonly string[];
  /** The user id and display name of who changed it last. */
  readonly updatedBy: Editor;
  readonly updatedAt: string;
};

export type Editor = { readonly userId: string; readonly displayName: string };

type ChannelDigestRow = {
  platform: Platform;
  channel_id: string;
  enabled: number;
  tags: string;
  updated_by: string;
  updated_by_name: string;
  updated_at: string;
};

/** Turns the daily digest on for a channel, with an optional tag filter (replacing the previous one). */
export async function enableChannelDigest(q: Queryable, channel: Channel, tags: readonly string[], editor: Editor, now: string): Promise<void> {
  await q.run(
    `INSERT INTO channel_digests (platform, channel_id, enabled, tags, updated_by, updated_by_name, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?)
     ON CONFLICT (platform, channel_id) DO UPDATE SET enabled = 1, tags = excluded.tags, updated_by = excluded.updated_by,
       updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at`,
    [channel.platform, channel.channelId, JSON.stringify(tags), editor.userId, editor.displayName, now],
  );
}

/** Turns it off; false when the channel had no digest on. */
export async function disableChannelDigest(q: Queryable, channel: Channel, editor: Editor, now: string): Promise<boolean> {
  const result = await q.run(
    'UPDATE channel_digests SET enabled = 0, updated_by = ?, updated_by_name = ?, updated_at = ? WHERE platform = ? AND channel_id = ? AND enabled = 1',
    [editor.userId, editor.displayName, now, channel.platform, channel.channelId],
  );
  return result.changes > 0;
}

export async function getChannelDigest(q: Queryable, channel: Channel): Promise<ChannelDigest | null> {
  const row = await q.get<ChannelDigestRow>('SELECT * FROM channel_digests WHERE platform = ? AND channel_id = ?', [channel.platform, channel.channelId]);
  return row ? toChannelDigest(row) : null;
}

/** The channels that get the daily digest (of one platform, when given): the input of the digest job. */
export async function enabledChannelDigests(q: Queryable, platform?: Platform): Promise<ChannelDigest[]> {
  const rows = platform
    ? await q.all<ChannelDigestRow>('SELECT * FROM channel_digests WHERE enabled = 1 AND platform = ? ORDER BY channel_id', [platform])
    : await q.all<ChannelDigestRow>('SELECT * FROM channel_digests WHERE enabled = 1 ORDER BY platform, channel_id');
  return rows.map(toChannelDigest);
}

function toChannelDigest(row: ChannelDigestRow): ChannelDigest {
  const tags: unknown = JSON.parse(row.tags);
  return {
    platform: row.platform,
    channelId: row.channel_id,
    enabled: row.enabled === 1,
    tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [],
    updatedBy: { userId: row.updated_by, displayName: row.updated_by_name },
    updatedAt: row.updated_at,
  };
}
