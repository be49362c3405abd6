-- A wallet's lookup of a call whose outcome is unknown (CONTRACTS.md, "Lookup of an unknown
-- outcome"), two stated assumptions an administrator may set per connection; NULL keeps
-- the default:
--   list_trusted_days     how many days back the wallet's transaction list is trusted to
--                         reach: an older call it does not show is not taken as never
--                         applied (default 30);
--   lookup_quiet_seconds  how long after the last attempt whose outcome is unknown a
--                         "not found" is believed for a voided operation's call (default
--                         the worker's, 300).
ALTER TABLE provider_connections ADD COLUMN list_trusted_days INTEGER
    CHECK (list_trusted_days IS NULL OR list_trusted_days BETWEEN 1 AND 3650);
ALTER TABLE provider_connections ADD COLUMN lookup_quiet_seconds INTEGER
    CHECK (lookup_quiet_seconds IS NULL OR lookup_quiet_seconds BETWEEN 1 AND 86400);
