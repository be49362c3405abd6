-- The provider calls a restore took away. A store restored from a backup no longer has
-- the outbox rows of calls made after that backup was taken, but the providers may
-- remember their idempotency keys: each one is kept here, so no new call is given its id
-- (the wallet's reference_id is built from it) or its key (the bank's trnRqUID).
CREATE TABLE outbox_retired (
    id               INTEGER PRIMARY KEY,
    -- The outbox id the call had before the restore.
    outbox_id        INTEGER NOT NULL,
    provider         TEXT    NOT NULL,
    call             TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    -- Its state when it was taken away (acked: the provider applied it).
    state            TEXT    NOT NULL,
    retired_at       TEXT    NOT NULL,
    UNIQUE (provider, call, idempotency_key)
) STRICT;

CREATE INDEX outbox_retired_by_outbox_id ON outbox_retired(outbox_id);
