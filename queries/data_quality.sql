-- Activities whose data is incomplete or inconsistent, one row per activity and problem
-- ($check: one of the checks below, NULL = all; $today: the date "in the future" is
-- measured against, passed by the page so that results do not depend on the clock):
--   no_budget      no budget (planned disbursements alone do not count as a budget)
--   no_location    no location
--   no_sector      no DAC sector (vocabulary 1 or 2) at activity or transaction level
--   dates          dates out of order: end before start, an actual date in the future,
--                  a budget period that ends before it starts
--   not_converted  amounts in a currency with no ECB rate for their date (kept in their
--                  own currency, left out of EUR/USD totals)
WITH checks AS (
    SELECT 'no_budget' AS "check", p.project_id,
           CASE WHEN EXISTS (SELECT 1 FROM budget b WHERE b.project_id = p.project_id)
                THEN 'planned disbursements only' END AS detail
    FROM project p
    WHERE NOT EXISTS (SELECT 1 FROM budget b WHERE b.project_id = p.project_id AND b.kind = 'budget')
    UNION ALL
    SELECT 'no_location', p.project_id, NULL
    FROM project p WHERE NOT EXISTS (SELECT 1 FROM project_location l WHERE l.project_id = p.project_id)
    UNION ALL
    SELECT 'no_sector', p.project_id,
           (SELECT 'only vocabulary ' || string_agg(DISTINCT s.vocabulary, ', ' ORDER BY s.vocabulary)
            FROM project_sector s WHERE s.project_id = p.project_id)
    FROM project p WHERE NOT EXISTS (SELECT 1 FROM sector_share s WHERE s.project_id = p.project_id)
    UNION ALL
    SELECT 'dates', project_id, problem FROM (
        SELECT s.project_id,
               CASE WHEN ps.date > pe.date THEN 'planned end ' || pe.date || ' before planned start ' || ps.date END AS a,
               CASE WHEN as_.date > ae.date THEN 'actual end ' || ae.date || ' before actual start ' || as_.date END AS b,
               CASE WHEN as_.date > $today::DATE THEN 'actual start ' || as_.date || ' in the future' END AS c,
               CASE WHEN ae.date > $today::DATE THEN 'actual end ' || ae.date || ' in the future' END AS d
        FROM project s
        LEFT JOIN project_date ps ON ps.project_id = s.project_id AND ps.type = 'planned_start'
        LEFT JOIN project_date pe ON pe.project_id = s.project_id AND pe.type = 'planned_end'
        LEFT JOIN project_date as_ ON as_.project_id = s.project_id AND as_.type = 'actual_start'
        LEFT JOIN project_date ae ON ae.project_id = s.project_id AND ae.type = 'actual_end'
    ) UNPIVOT (problem FOR k IN (a, b, c, d))
    UNION ALL
    SELECT 'dates', project_id,
           count(*) || ' budget period(s) ending before they start, e.g. ' || min(period_start) || ' to ' || min(period_end)
    FROM budget WHERE period_end < period_start GROUP BY project_id
    UNION ALL
    SELECT 'not_converted', project_id,
           string_agg(n || ' ' || row_kind || ' row(s) in ' || currency, '; ' ORDER BY currency, row_kind)
    FROM (SELECT project_id, row_kind, currency, count(*) AS n FROM money_row
          WHERE amount IS NOT NULL AND amount_eur IS NULL GROUP BY ALL)
    GROUP BY project_id
)
SELECT c."check", c.project_id, CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title, p.document_id, d.kind AS document_kind,
       d.file, c.detail
FROM checks c JOIN project p USING (project_id) JOIN document d ON d.document_id = p.document_id
WHERE $check IS NULL OR c."check" = $check
ORDER BY c."check", c.project_id, c.detail;
