-- When the last attempt of a call that may still be in flight at the provider was made
-- (Unix milliseconds): an attempt whose outcome is unknown, or one a killed worker left
-- in 'sending'. A lookup that does not find a voided operation's call is believed only
-- once this is old enough that a late request can no longer be applied (the worker's
-- quiet period, CONTRACTS.md); until then the call is asked about again, never cancelled.
ALTER TABLE outbox ADD COLUMN unknown_since INTEGER;

-- Bank transfers-management v1 has no lookup of a deposit: what the worker does with a
-- deposit whose outcome is unknown (CONTRACTS.md, "Outcomes"):
--   'MISMA_CLAVE'  resend it with the same trnRqUID and headers, relying on the assumption
--                  that the bank does not apply one trnRqUID twice (default; NULL);
--   'EXTRACTO'     never resend it: it needs attention until a person, with the bank's
--                  statement, says whether it was applied.
ALTER TABLE provider_connections ADD COLUMN unknown_resend TEXT
    CHECK (unknown_resend IS NULL OR unknown_resend IN ('MISMA_CLAVE', 'EXTRACTO'));
