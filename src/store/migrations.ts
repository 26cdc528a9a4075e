/**
 * Schema migrations, applied in order at start-up; `PRAGMA user_version` records the last one.
 * Never edit a released migration: add the next one.
 */
export type Migration = { readonly version: number; readonly sql: string };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      -- pk is an explicit INTEGER PRIMARY KEY so the FTS rowid that points at it survives VACUUM.
      CREATE TABLE papers (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        categories TEXT NOT NULL DEFAULT '[]',
        primary_category TEXT,
        comment TEXT,
        journal_ref TEXT,
        doi TEXT,
        submitted_at TEXT,
        updated_at TEXT,
        announced_on TEXT,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL
      );
      CREATE INDEX papers_announced_on ON papers (announced_on);

      CREATE TABLE paper_versions (
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        updated_at TEXT,
        announced_on TEXT,
        announce_type TEXT,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, version)
      ) WITHOUT ROWID;

      CREATE TABLE classifications (
        paper_id TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        relevant INTEGER,
        tags TEXT NOT NULL DEFAULT '[]',
        tldr TEXT,
        model TEXT,
        prompt_hash TEXT,
        version INTEGER,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX classifications_status ON classifications (status);

      -- One row per tag of a relevant paper: tag filters without scanning JSON.
      CREATE TABLE paper_tags (
        tag TEXT NOT NULL,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        PRIMARY KEY (tag, paper_id)
      ) WITHOUT ROWID;
      CREATE INDEX paper_tags_paper ON paper_tags (paper_id);

      -- What each announcement day listed, and as what: the input of that day's digest and alerts.
      CREATE TABLE announcements (
        day TEXT NOT NULL,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        announce_type TEXT NOT NULL CHECK (announce_type IN ('new', 'cross', 'replace', 'replace-cross')),
        version INTEGER NOT NULL,
        PRIMARY KEY (day, paper_id)
      ) WITHOUT ROWID;
      CREATE INDEX announcements_paper ON announcements (paper_id);

      -- Every run of every job: what it did, for \`status\` and for catch-up.
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        day TEXT,
        source TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'empty', 'failed')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        fetched INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        stats TEXT NOT NULL DEFAULT '{}',
        error TEXT
      );
      CREATE INDEX runs_kind_day ON runs (kind, day);

      -- Contentless: the text lives in papers/classifications; rowid = papers.pk.
      CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, abstract, tldr, authors,
        content = '', contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- What each person follows, per platform: a Slack user and a Discord user never share a row.
      -- key is the value in lower case without diacritics, so "MoE" and "moe" are one subscription.
      CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('tag', 'keyword', 'phrase', 'author')),
        value TEXT NOT NULL,
        key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (platform, user_id, kind, key)
      );

      -- Which channels get the daily digest; tags = '[]' means every relevant paper. A channel that
      -- was turned off keeps its row (enabled = 0) so /digest status can say who turned it off.
      CREATE TABLE channel_digests (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        tags TEXT NOT NULL DEFAULT '[]',
        updated_by TEXT NOT NULL,
        updated_by_name TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (platform, channel_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    sql: `
      -- The delivery ledger: one row per digest (channel, day) and per alert (person, day), claimed in
      -- a transaction before sending and marked after. UNIQUE makes a second claim impossible.
      -- status: claimed (being sent, or the process died while sending), sent, failed (passing
      -- fault; retried at next_attempt_at while attempts last, never again when it is NULL),
      -- permanent (channel gone, DMs closed: never retried). progress is the messenger's opaque
      -- state of a multi-part send (DeliveryProgress).
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        platform TEXT NOT NULL,
        target TEXT NOT NULL,
        day TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'permanent')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        error TEXT,
        ref TEXT,
        progress TEXT,
        claimed_at TEXT NOT NULL,
        sent_at TEXT,
        updated_at TEXT NOT NULL,
        UNIQUE (kind, platform, target, day)
      );
      CREATE INDEX deliveries_day ON deliveries (day);
      CREATE INDEX deliveries_status ON deliveries (status, next_attempt_at);

      -- What each delivery carries, in order: a retry sends the same papers, and an alert's rows tell
      -- a later day which version of a paper its person was told about (updates are mentioned once).
      CREATE TABLE delivery_papers (
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        is_update INTEGER NOT NULL CHECK (is_update IN (0, 1)),
        reasons TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (delivery_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX delivery_papers_paper ON delivery_papers (paper_id);
    `,
  },
  {
    version: 4,
    sql: `
      -- Email subscribers exist only once confirmed (double opt-in); what they follow is ordinary
      -- subscriptions rows with platform 'email' and user_id = id. id is random, so an address
      -- cannot be turned into one; unsubscribe_key signs the unsubscribe links of their emails.
      CREATE TABLE email_subscribers (
        id TEXT PRIMARY KEY,
        address TEXT NOT NULL UNIQUE,
        unsubscribe_key TEXT NOT NULL,
        confirmed_at TEXT NOT NULL
      ) WITHOUT ROWID;

      -- A subscribe form waiting for its confirmation link to be used; only the SHA-256 of the
      -- link's token is kept, so the table cannot be turned into working links.
      CREATE TABLE email_requests (
        token_hash TEXT PRIMARY KEY,
        address TEXT NOT NULL,
        targets TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX email_requests_address ON email_requests (address);
      CREATE INDEX email_requests_expires ON email_requests (expires_at);

      -- Fixed-window counters for the subscribe form (per client address, per email address);
      -- subject is a hash, not the address itself.
      CREATE TABLE rate_limits (
        scope TEXT NOT NULL,
        subject TEXT NOT NULL,
        window_start TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (scope, subject, window_start)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    sql: `
      -- The full-text index keeps relevant papers only (search shows nothing else): drop the rows
      -- of papers pending or judged off-topic, most of the archive.
      DELETE FROM papers_fts WHERE rowid IN (
        SELECT p.pk FROM papers p LEFT JOIN classifications c ON c.paper_id = p.id WHERE c.relevant IS NOT 1
      );
    `,
  },
  {
    version: 6,
    sql: `
      -- Tags join the full-text index (see fts-tags.ts), so a search for tags and words ranks only
      -- the papers with those tags. FTS5 cannot add a column: the index is rebuilt from the papers.
      DROP TABLE papers_fts;
      CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, abstract, tldr, authors, tags,
        content = '', contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
      INSERT INTO papers_fts (rowid, title, abstract, tldr, authors, tags)
        SELECT p.pk, p.title, p.abstract, COALESCE(c.tldr, ''), (SELECT group_concat(value, ', ') FROM json_each(p.authors)),
          (SELECT group_concat('tag' || lower(hex(value)) || 'x', ' ') FROM (SELECT DISTINCT value FROM json_each(c.tags)))
        FROM papers p JOIN classifications c ON c.paper_id = p.id WHERE c.relevant = 1;
    `,
  },
  {
    version: 7,
    sql: `
      -- The rows of each announcement day (lowest and highest pk), so that a search bounds a date
      -- range's rows in the full-text index in a few lookups: MIN(pk) since a day walked the day
      -- index over every paper since it. A range only widens (a paper moved to another day stays
      -- inside its old day's range): a bound must hold every row of its days, a wider one still does.
      CREATE TABLE day_rows (
        day TEXT PRIMARY KEY,
        min_pk INTEGER NOT NULL,
        max_pk INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO day_rows (day, min_pk, max_pk)
        SELECT announced_on, MIN(pk), MAX(pk) FROM papers WHERE announced_on IS NOT NULL GROUP BY announced_on;
      CREATE TRIGGER papers_day_rows_insert AFTER INSERT ON papers WHEN new.announced_on IS NOT NULL BEGIN
        INSERT INTO day_rows (day, min_pk, max_pk) VALUES (new.announced_on, new.pk, new.pk)
          ON CONFLICT (day) DO UPDATE SET min_pk = MIN(min_pk, excluded.min_pk), max_pk = MAX(max_pk, excluded.max_pk);
      END;
      CREATE TRIGGER papers_day_rows_update AFTER UPDATE OF announced_on, pk ON papers WHEN new.announced_on IS NOT NULL BEGIN
        INSERT INTO day_rows (day, min_pk, max_pk) VALUES (new.announced_on, new.pk, new.pk)
          ON CONFLICT (day) DO UPDATE SET min_pk = MIN(min_pk, excluded.min_pk), max_pk = MAX(max_pk, excluded.max_pk);
      END;
    `,
  },
  {
    version: 8,
    sql: `
      -- One vote per person (per platform) per paper: the current one only, changed in place, so a
      -- person toggling a thousand times leaves one row. value: 1 relevant, -1 not relevant.
      CREATE TABLE votes (
        platform TEXT NOT NULL,
        user_id TEXT NOT NULL,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (platform, user_id, paper_id)
      ) WITHOUT ROWID;
      CREATE INDEX votes_paper ON votes (paper_id);

      -- The group's label of each paper with votes, kept by the vote functions in the same
      -- transaction: label 1 (more relevant than not), 0 (more not relevant), NULL (a tie).
      -- filter_model/filter_relevant: the classifier's verdict the label is measured against, as
      -- it was before the group's vote replaced it (a paper the group brings in becomes model
      -- 'votes'). generation counts every change of any label, so a model knows when to retrain.
      CREATE TABLE paper_labels (
        paper_id TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
        relevant_votes INTEGER NOT NULL,
        not_relevant_votes INTEGER NOT NULL,
        label INTEGER CHECK (label IN (0, 1)),
        filter_model TEXT,
        filter_relevant INTEGER,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX paper_labels_updated ON paper_labels (updated_at);
      CREATE TABLE label_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
      INSERT INTO label_generation (id, generation) VALUES (1, 0);

      -- Small learned text models kept with the archive (the offline filter's correction model is
      -- 'filter'): weights as JSON, and what they were trained on, to know when to retrain.
      CREATE TABLE text_models (
        name TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        trained_on TEXT NOT NULL,
        trained_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    sql: `
      -- "More like this" with OPENAI_EMBEDDING_MODEL: one vector per paper and embedding space (the
      -- model, and the dimensions when they are asked for), as little-endian float32. id orders the
      -- rows, so MAX(id) tells the in-memory index that vectors were added.
      CREATE TABLE paper_embeddings (
        id INTEGER PRIMARY KEY,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        space TEXT NOT NULL,
        dimensions INTEGER NOT NULL,
        vector BLOB NOT NULL,
        tokens INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (paper_id, space)
      );
      -- A vector describes the text it was made from: a new title, abstract or TL;DR drops it, and
      -- the next run embeds the paper again.
      CREATE TRIGGER paper_embeddings_text AFTER UPDATE OF title, abstract ON papers
        WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN
        DELETE FROM paper_embeddings WHERE paper_id = new.id;
      END;
      CREATE TRIGGER paper_embeddings_tldr AFTER UPDATE OF tldr ON classifications WHEN old.tldr IS NOT new.tldr BEGIN
        DELETE FROM paper_embeddings WHERE paper_id = new.paper_id;
      END;
    `,
  },
  {
    version: 10,
    sql: `
      -- Who asked for "Picked for you" (/subscribe picks): once a day, papers their own model
      -- scores highest among those none of their subscriptions matched. Per platform, as subscriptions.
      CREATE TABLE pick_subscriptions (
        platform TEXT NOT NULL,
        user_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (platform, user_id)
      ) WITHOUT ROWID;

      -- A paper an alert carries as a pick rather than a subscription match: why it was picked
      -- (JSON: the liked paper it resembles, the words that weighed most), NULL for matches. A retry
      -- shows the same why; a pick never counts as a paper the person's subscriptions brought them.
      ALTER TABLE delivery_papers ADD COLUMN pick TEXT;

      -- An email subscribe form that asked for "picks" (the word in its Follow field).
      ALTER TABLE email_requests ADD COLUMN picks INTEGER NOT NULL DEFAULT 0;
    `,
  },
];
