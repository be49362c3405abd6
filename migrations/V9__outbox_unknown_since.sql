-- When the last attempt of a call that may still be in flight at the provider was made
-- (Unix milliseconds): an attempt whose outcome is unknown, or one a killed worker left
-- in 'sending'. A lookup that does not find a voided operation's call is believed only
-- once this is old enough that a late request can no longer be applied (the worker's
-- quiet period, CONTRACTS.md); until then the call is asked about again, never cancelled.
ALTER TABLE outbox ADD COLUMN unknown_since INTEGER;
