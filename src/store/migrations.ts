/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`. Never edit a
 * shipped migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, briefs, feed cache, subscribers, outbox, per-day deliveries
  `
  CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    trigger       TEXT NOT NULL,
    snapshot_json TEXT NOT NULL,
    ok_sources    INTEGER NOT NULL DEFAULT 0,
    failed_sources INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE briefs (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    edition       TEXT NOT NULL DEFAULT 'default',
    language      TEXT NOT NULL,
    writer        TEXT NOT NULL,
    writer_reason TEXT,
    title         TEXT NOT NULL,
    brief_json    TEXT NOT NULL,
    stories_json  TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL,
    tokens_in     INTEGER,
    tokens_out    INTEGER,
    cost_usd      REAL
  );
  CREATE INDEX briefs_created ON briefs(created_at);
  CREATE INDEX briefs_edition ON briefs(edition, language, created_at);
  CREATE TABLE feed_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    feed_json     TEXT NOT NULL,
    fetched_at    TEXT NOT NULL
  );
  CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'private',
    title           TEXT,
    language        TEXT NOT NULL DEFAULT 'en',
    delivery_time   TEXT NOT NULL DEFAULT '07:30',
    timezone        TEXT NOT NULL DEFAULT 'UTC',
    topics_json     TEXT NOT NULL DEFAULT '[]',
    active          INTEGER NOT NULL DEFAULT 1,
    inactive_reason TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (platform, chat_id)
  );
  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    brief_id        INTEGER NOT NULL REFERENCES briefs(id),
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers(id),
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    message_ids     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (brief_id, subscriber_id)
  );
  CREATE INDEX outbox_state ON outbox(state, next_attempt_at);
  CREATE TABLE deliveries (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    local_date    TEXT NOT NULL,
    brief_id      INTEGER NOT NULL REFERENCES briefs(id),
    created_at    TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, local_date)
  );
  `,
  // 2: outbox claims and crash ambiguity. `claim_owner` is the process (pid:boot) that holds a
  // queued or sending row, so a restart can tell its own rows from a dead process's; `ambiguous`
  // counts sends that may have reached the platform before the process died unrecorded.
  `
  ALTER TABLE outbox ADD COLUMN claim_owner TEXT;
  ALTER TABLE outbox ADD COLUMN ambiguous INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX outbox_brief ON outbox(brief_id, state);
  CREATE INDEX subscribers_active ON subscribers(platform, active);
  `,
  // 3: subscriber ids are never reused (an id in an old log must not name another chat later):
  // the table is rebuilt with AUTOINCREMENT, keeping every row and id. Runs with foreign keys
  // off (see migrate()), so outbox and deliveries keep pointing at the same ids.
  `
  CREATE TABLE subscribers_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'private',
    title           TEXT,
    language        TEXT NOT NULL DEFAULT 'en',
    delivery_time   TEXT NOT NULL DEFAULT '07:30',
    timezone        TEXT NOT NULL DEFAULT 'UTC',
    topics_json     TEXT NOT NULL DEFAULT '[]',
    active          INTEGER NOT NULL DEFAULT 1,
    inactive_reason TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (platform, chat_id)
  );
  INSERT INTO subscribers_new (id, platform, chat_id, kind, title, language, delivery_time, timezone, topics_json, active, inactive_reason, created_at, updated_at)
    SELECT id, platform, chat_id, kind, title, language, delivery_time, timezone, topics_json, active, inactive_reason, created_at, updated_at FROM subscribers;
  DROP TABLE subscribers;
  ALTER TABLE subscribers_new RENAME TO subscribers;
  CREATE INDEX subscribers_active ON subscribers(platform, active);
  `,
  // 4: Telegram forum topics (issue 17): a subscriber is a chat and a topic. `thread_id` is the
  // topic's message_thread_id, 0 for a chat without one (0, not NULL: UNIQUE treats NULLs as
  // distinct). The table is rebuilt for the new UNIQUE, keeping every row and id.
  `
  CREATE TABLE subscribers_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    thread_id       INTEGER NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL DEFAULT 'private',
    title           TEXT,
    language        TEXT NOT NULL DEFAULT 'en',
    delivery_time   TEXT NOT NULL DEFAULT '07:30',
    timezone        TEXT NOT NULL DEFAULT 'UTC',
    topics_json     TEXT NOT NULL DEFAULT '[]',
    active          INTEGER NOT NULL DEFAULT 1,
    inactive_reason TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (platform, chat_id, thread_id)
  );
  INSERT INTO subscribers_new (id, platform, chat_id, kind, title, language, delivery_time, timezone, topics_json, active, inactive_reason, created_at, updated_at)
    SELECT id, platform, chat_id, kind, title, language, delivery_time, timezone, topics_json, active, inactive_reason, created_at, updated_at FROM subscribers;
  -- Ids stay never reused: the new table's counter continues from the old one's.
  DELETE FROM sqlite_sequence WHERE name = 'subscribers_new';
  INSERT INTO sqlite_sequence (name, seq) SELECT 'subscribers_new', seq FROM sqlite_sequence WHERE name = 'subscribers';
  DROP TABLE subscribers;
  ALTER TABLE subscribers_new RENAME TO subscribers;
  CREATE INDEX subscribers_active ON subscribers(platform, active);
  `,
  // 5: Discord announcement channels (issue 17): each posted message to publish (crosspost),
  // kept apart from the outbox so a failed publish is retried as a publish, never as a new post;
  // published_at also counts the channel's 10 publishes an hour across restarts.
  `
  CREATE TABLE crossposts (
    id              INTEGER PRIMARY KEY,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    channel_id      TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    published_at    TEXT,
    UNIQUE (channel_id, message_id)
  );
  CREATE INDEX crossposts_state ON crossposts(state, next_attempt_at);
  CREATE INDEX crossposts_channel ON crossposts(channel_id, published_at);
  `,
  // 6: the market card per subscriber (issue 16, `/card off|on`): 1 sends the card before the
  // brief (when the operator has CARD_ENABLED), 0 sends the brief alone.
  `
  ALTER TABLE subscribers ADD COLUMN card INTEGER NOT NULL DEFAULT 1;
  `,
];
