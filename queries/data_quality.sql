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
-- What each problem is, for the page to say in its language (mekong/views/quality.py):
-- detail_key with its values detail_n, detail_a, detail_b (dates as YYYY-MM-DD):
--   planned_only                    a budget of planned disbursements only
--   vocabulary (a)                  sectors only in vocabularies a (not DAC)
--   planned_end_before_start (a, b) planned end a before planned start b
--   actual_end_before_start (a, b)  actual end a before actual start b
--   actual_start_future (a), actual_end_future (a)
--   periods_reversed (n, a, b)      n budget periods ending before they start, e.g. a to b
--   not_converted (a)               "n row_kind currency; ..." rows with no rate
WITH checks AS (
    SELECT 'no_budget' AS "check", p.project_id,
           CASE WHEN EXISTS (SELECT 1 FROM budget b WHERE b.project_id = p.project_id)
                THEN 'planned_only' END AS detail_key,
           NULL::BIGINT AS detail_n, NULL::VARCHAR AS detail_a, NULL::VARCHAR AS detail_b
    FROM project p
    WHERE NOT EXISTS (SELECT 1 FROM budget b WHERE b.project_id = p.project_id AND b.kind = 'budget')
    UNION ALL
    SELECT 'no_location', p.project_id, NULL, NULL, NULL, NULL
    FROM project p WHERE NOT EXISTS (SELECT 1 FROM project_location l WHERE l.project_id = p.project_id)
    UNION ALL
    SELECT 'no_sector', p.project_id, CASE WHEN v IS NOT NULL THEN 'vocabulary' END, NULL, v, NULL
    FROM (SELECT p.project_id,
                 (SELECT string_agg(DISTINCT s.vocabulary, ', ' ORDER BY s.vocabulary)
                  FROM project_sector s WHERE s.project_id = p.project_id) AS v
          FROM project p WHERE NOT EXISTS (SELECT 1 FROM sector_share s WHERE s.project_id = p.project_id)) p
    UNION ALL
    SELECT 'dates', project_id, k, NULL, a, b FROM (
        SELECT s.project_id,
               CASE WHEN ps.date > pe.date THEN 'planned_end_before_start' END AS k1, CAST(pe.date AS VARCHAR) AS a1, CAST(ps.date AS VARCHAR) AS b1,
               CASE WHEN as_.date > ae.date THEN 'actual_end_before_start' END AS k2, CAST(ae.date AS VARCHAR) AS a2, CAST(as_.date AS VARCHAR) AS b2,
               CASE WHEN as_.date > $today::DATE THEN 'actual_start_future' END AS k3, CAST(as_.date AS VARCHAR) AS a3,
               CASE WHEN ae.date > $today::DATE THEN 'actual_end_future' END AS k4, CAST(ae.date AS VARCHAR) AS a4
        FROM project s
        LEFT JOIN project_date ps ON ps.project_id = s.project_id AND ps.type = 'planned_start'
        LEFT JOIN project_date pe ON pe.project_id = s.project_id AND pe.type = 'planned_end'
        LEFT JOIN project_date as_ ON as_.project_id = s.project_id AND as_.type = 'actual_start'
        LEFT JOIN project_date ae ON ae.project_id = s.project_id AND ae.type = 'actual_end'
    ) d, LATERAL (VALUES (k1, a1, b1), (k2, a2, b2), (k3, a3, NULL), (k4, a4, NULL)) AS v(k, a, b)
    WHERE k IS NOT NULL
    UNION ALL
    SELECT 'dates', project_id, 'periods_reversed', count(*), CAST(min(period_start) AS VARCHAR), CAST(min(period_end) AS VARCHAR)
    FROM budget WHERE period_end < period_start GROUP BY project_id
    UNION ALL
    SELECT 'not_converted', project_id, 'not_converted', NULL,
           string_agg(n || ' ' || row_kind || ' ' || currency, '; ' ORDER BY currency, row_kind), NULL
    FROM (SELECT project_id, row_kind, currency, count(*) AS n FROM money_row
          WHERE amount IS NOT NULL AND amount_eur IS NULL GROUP BY ALL)
    GROUP BY project_id
)
SELECT c."check", c.project_id, CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title, p.document_id, d.kind AS document_kind,
       d.file, c.detail_key, c.detail_n, c.detail_a, c.detail_b
FROM checks c JOIN project p USING (project_id) JOIN document d ON d.document_id = p.document_id
WHERE $check IS NULL OR c."check" = $check
ORDER BY c."check", c.project_id, c.detail_key, c.detail_a;
