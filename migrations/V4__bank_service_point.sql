-- The point of service a bank assigned to the store (trn.code, branchName, cityId, city,
-- stateProv of the transfers-management deposit), kept with that bank's connection: each
-- bank assigns its own. Until now one set came from settings, with placeholders.

ALTER TABLE provider_connections ADD COLUMN point_code TEXT;
ALTER TABLE provider_connections ADD COLUMN point_branch TEXT;
ALTER TABLE provider_connections ADD COLUMN point_city_id TEXT;
ALTER TABLE provider_connections ADD COLUMN point_city TEXT;
ALTER TABLE provider_connections ADD COLUMN point_state TEXT;

-- A bank already connected keeps sending what it sent before.
UPDATE provider_connections SET
    point_code    = COALESCE((SELECT value FROM settings WHERE key = 'bank_point_code'), '000000000000001'),
    point_branch  = COALESCE((SELECT value FROM settings WHERE key = 'bank_point_branch'), 'MOSTRADOR'),
    point_city_id = COALESCE((SELECT value FROM settings WHERE key = 'bank_point_city_id'), '20101'),
    point_city    = COALESCE((SELECT value FROM settings WHERE key = 'bank_point_city'), 'LA PAZ'),
    point_state   = COALESCE((SELECT value FROM settings WHERE key = 'bank_point_state'), '02')
WHERE contract = 'BANCO_V1';

DELETE FROM settings WHERE key IN
    ('bank_point_code', 'bank_point_branch', 'bank_point_city_id', 'bank_point_city', 'bank_point_state');
