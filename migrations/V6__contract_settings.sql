-- What the provider documents leave open, stated per connection (CONTRACTS.md lists each
-- with the document's line). NULL means the documented default.
--
-- Bank transfers-management v1 (seeds/004):
--   token_url        the OAuth 2 client-credentials URL: the document names no token
--                    endpoint ("authorization: Used to send a valid OAuth 2 access token").
--                    Required for a bank connection; no default is guessed.
--   bank_utc_offset  the bank's zone for X-Invoker-ProcessDate and trn.transactionHour,
--                    as "+HH:MM" / "-HH:MM"; default "-04:00" (Bolivia, no DST).
--   deposit_type     'N_R' (the table: "N --> Normal R --> reverso", default) or
--                    'NORMAL_REVERSO' (the example's "Normal", and "Reverso").
--   terminal_id      X-Invoker-TerminalId; default the point of service code.
--   user_ip          X-Invoker-UserIPAddress; default 127.0.0.1.
--   server_ip        X-Invoker-ServerIPAddress; default user_ip (the app is its own server).
--   modifier_user    X-Invoker-ModifierUser; default one space ("Enviar espacios").
-- Wallet v2 (seeds/002):
--   token_expiry_unit  unit of the token's "expires_at": number: 'SECONDS' (default) or
--                      'MILLISECONDS'.
--   wallet_concept     the cashout's "concept", one of GET v2/payment/concepts.
ALTER TABLE provider_connections ADD COLUMN token_url TEXT;
ALTER TABLE provider_connections ADD COLUMN bank_utc_offset TEXT
    CHECK (bank_utc_offset IS NULL OR bank_utc_offset GLOB '[+-][0-1][0-9]:[0-5][0-9]');
ALTER TABLE provider_connections ADD COLUMN deposit_type TEXT
    CHECK (deposit_type IS NULL OR deposit_type IN ('N_R', 'NORMAL_REVERSO'));
ALTER TABLE provider_connections ADD COLUMN terminal_id TEXT;
ALTER TABLE provider_connections ADD COLUMN user_ip TEXT;
ALTER TABLE provider_connections ADD COLUMN server_ip TEXT;
ALTER TABLE provider_connections ADD COLUMN modifier_user TEXT;
ALTER TABLE provider_connections ADD COLUMN token_expiry_unit TEXT
    CHECK (token_expiry_unit IS NULL OR token_expiry_unit IN ('SECONDS', 'MILLISECONDS'));
ALTER TABLE provider_connections ADD COLUMN wallet_concept TEXT;

-- A bank connected before this version called {base_url}/oauth/token: it keeps doing so
-- until a manager sets the bank's real token URL.
UPDATE provider_connections
   SET token_url = CASE
       WHEN rtrim(base_url, '/') LIKE '%/transfers-management/v1' THEN rtrim(base_url, '/') || '/oauth/token'
       ELSE rtrim(base_url, '/') || '/transfers-management/v1/oauth/token'
   END
 WHERE contract = 'BANCO_V1';

-- A store account stored while deposits were off was never checked ("-1"): drop it.
UPDATE provider_connections SET store_account = NULL
 WHERE store_account IS NOT NULL
   AND (length(store_account) NOT BETWEEN 6 AND 20 OR store_account GLOB '*[^0-9]*');
