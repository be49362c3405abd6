-- Each operator's language for every screen, receipt and report: Spanish (the default)
-- or English, chosen by the operator and remembered across logins.
ALTER TABLE operators ADD COLUMN language TEXT NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en'));
