-- Whether counting once differs from adding every publisher's report: some loaded
-- activity passes money to another, or repeats a primary publisher's report
-- (derive.sql's net_share); the sidebar offers the switch only then.
SELECT count(*) > 0 AS links FROM net_share;
