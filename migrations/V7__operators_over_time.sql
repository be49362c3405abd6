-- Operators over time: idle sessions end after a set time, and the owner's recovery code
-- (stored hashed, in settings as 'recovery_code_hash') is written when the first
-- administrator is created. Deactivation, unlocking, PIN and role changes use the
-- operators columns V1 already has; escalating lockouts keep counting failed_logins.

-- Minutes without a command before a logged-in operator must log in again; 0 = never.
INSERT INTO settings (key, value) VALUES ('idle_logout_minutes', '15')
    ON CONFLICT (key) DO NOTHING;
