-- The audit log viewer filters by operator, action and store-local dates and pages newest
-- first; these indexes keep each filter a range scan as the log grows (it is never pruned).
CREATE INDEX audit_log_by_operator ON audit_log (operator_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_time ON audit_log (created_at);
