-- The funding page's breakdowns of one flow in one pass: the filtered money is read once
-- (`a`) and every breakdown asked for in $parts is counted from it, one row per bar, tile
-- or link, `part` naming the breakdown:
--   donor     by funder: a row counts for the organisation it names (budget contributor,
--             provider of incoming funds), else for the activity's only funder; rows of
--             activities with several funders and no stated split go to the
--             '~several funders' bucket and are never divided
--   sector    by DAC sector category and 5-digit sector, each activity's money split by
--             its sector percentages (only the selected sectors when the sector filter is
--             on); '~split_unknown' (several sectors, no percentages: counted once, not
--             split), '~not_stated' (no sector)
--   country   by recipient country or region, split by the country/region percentages
--             (only the selected countries under a country filter); '~split_unknown',
--             '~not_stated'; region keys look like 'region:99:MEKONG'
--   province  by province (ISO 3166-2): an activity's share of a country is divided
--             equally between the provinces it names there (IATI gives no split by
--             place); what names no province is '~national' ("national / regional, not
--             located"), '~split_unknown' when the country split is not stated; Viet Nam's
--             provinces in the generation $vn ('2025': the 34 units, a former province's
--             share counted in its unit, once per activity; '2024': the 63 former ones)
--   national  the money that names no province, by recipient country or region (the map
--             shows it beside the provinces, never spread over them): each activity's
--             money (split by sector as `sector`) times its shares in derive.sql's
--             national_keys (national_share when no country is selected): per country,
--             its share of the country less what the provinces take there; per region,
--             the region's share; '~split_unknown', '~not_stated'. Adds up to the province
--             breakdown's '~national'. Empty under a province filter
--   treemap   by funder and sector (funder as `donor`, sector split as `sector`); past
--             $treemap_leaves cells, the smallest grouped per funder as '~other'
--   sankey    funder -> implementer -> recipient country: the activity's only implementer,
--             else '~several' (not divided) or '~none'; country split as `country`; past
--             $sankey_nodes nodes in a stage, the smallest grouped as '~other'
-- Values in the display currency, split by the selected sectors, countries and provinces;
-- each breakdown adds up to flow_total.sql. Labels in $lang.
WITH a AS (
    SELECT pk, funder_name, approximate, value, w_sector, w_country, w_province,
           coalesce(funder_id, CASE WHEN funder_name IS NOT NULL THEN 'name:' || funder_name END, '~' || funder_basis) AS donor_key
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
    WHERE donor_attributed AND value IS NOT NULL
      AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
),
-- each activity's money per funder key (`ak`) and in all (`am`), summed once with the
-- weights each breakdown needs: `v` all of them, `v_sc` all but the sector share (split
-- by sector), `v_cs` all but the country share, `v_p` the sector share only (the
-- province part divides the country share itself)
ak AS MATERIALIZED (
    SELECT pk, donor_key, any_value(w_country) AS w_country, any_value(funder_name) AS funder_name,
           sum(value * w_sector * w_country * w_province) AS v, sum(value * w_country * w_province) AS v_sc,
           sum(value * w_sector * w_province) AS v_cs, sum(value * w_sector) AS v_p,
           max(abs(value * w_sector)) AS largest, bool_or(approximate) AS approximate
    FROM a WHERE list_has_any($parts, ['donor', 'treemap', 'sankey']) GROUP BY pk, donor_key
),
am AS MATERIALIZED (
    SELECT pk, any_value(w_country) AS w_country, sum(v_sc) AS v_sc, sum(v_cs) AS v_cs, sum(v_p) AS v_p,
           max(largest) AS largest, bool_or(approximate) AS approximate
    FROM ak WHERE list_has_any($parts, ['sector', 'country', 'province', 'national']) GROUP BY pk
    UNION ALL
    -- with no breakdown by funder (the map), straight from the money
    SELECT pk, any_value(w_country), sum(value * w_country * w_province), sum(value * w_sector * w_province),
           sum(value * w_sector), max(abs(value * w_sector)), bool_or(approximate)
    FROM a WHERE list_has_any($parts, ['sector', 'country', 'province', 'national'])
      AND NOT list_has_any($parts, ['donor', 'treemap', 'sankey'])
    GROUP BY pk
),
-- whether each activity's split over the sectors and the countries is stated, NULL when
-- it names none: with a filter every activity here names a selected one and its share in
-- them is stated (those whose share is not stated are left to money_gaps.sql); without,
-- derive.sql worked it out
pf AS MATERIALIZED (
    SELECT pk, implementer_key,
           CASE WHEN len($sector) + len($category) > 0 THEN true ELSE sector_split END AS sector_known,
           CASE WHEN len($country) > 0 THEN true ELSE country_split END AS country_known
    FROM project_filter
    WHERE list_has_any($parts, ['sector', 'country', 'treemap', 'sankey'])
      AND pk IN (SELECT pk FROM ak UNION ALL SELECT pk FROM am WHERE NOT list_has_any($parts, ['donor', 'treemap', 'sankey']))
),
ss AS (
    SELECT pk, category, sector, share FROM sector_share
    WHERE (list_contains($parts, 'sector') OR list_contains($parts, 'treemap'))
      AND (len($sector) + len($category) = 0 OR list_contains($sector, sector) OR list_contains($category, category))
),
cs AS (
    SELECT pk, country, region, share FROM country_share
    WHERE (list_contains($parts, 'country') OR list_contains($parts, 'sankey'))
      AND (len($country) = 0 OR list_contains($country, country))
),
------------------------------------------------------------------ donor
donor AS (  -- one row per activity and key in ak: count(*) counts activities
    SELECT donor_key AS key, sum(v) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
    FROM ak WHERE list_contains($parts, 'donor') GROUP BY 1
),
donor_name AS (  -- the name stated with a funder key (for an organisation the table lacks)
    SELECT donor_key AS key, any_value(funder_name) AS funder_name FROM ak WHERE list_contains($parts, 'donor') GROUP BY 1
),
------------------------------------------------------------------ sector
sector_m AS (  -- each activity's money, summed before it is split
    SELECT am.pk, pf.sector_known AS split_known, am.v_sc AS v, am.approximate
    FROM am JOIN pf USING (pk) WHERE list_contains($parts, 'sector')
),
sector_rows AS (
    SELECT ss.category, ss.sector, m.pk, m.approximate, m.v * ss.share AS v
    FROM sector_m m JOIN ss USING (pk) WHERE m.split_known
    UNION ALL
    SELECT '~split_unknown', NULL, pk, approximate, v FROM sector_m WHERE NOT split_known
    UNION ALL
    SELECT '~not_stated', NULL, pk, approximate, v FROM sector_m WHERE split_known IS NULL
),
sector_by AS (  -- one row per activity and sector: count(*) counts activities
    SELECT category, sector, sum(v) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
    FROM sector_rows GROUP BY category, sector
),
------------------------------------------------------------------ country
country_m AS (
    SELECT am.pk, pf.country_known AS split_known, am.v_cs AS v, am.approximate
    FROM am JOIN pf USING (pk) WHERE list_contains($parts, 'country')
),
country_rows AS (
    SELECT coalesce(cs.country, 'region:' || cs.region) AS key, m.pk, m.approximate, m.v * cs.share AS v
    FROM country_m m JOIN cs USING (pk) WHERE m.split_known
    UNION ALL
    SELECT '~split_unknown', pk, approximate, v FROM country_m WHERE NOT split_known
    UNION ALL
    SELECT '~not_stated', pk, approximate, v FROM country_m WHERE split_known IS NULL
),
country_by AS (  -- one row per activity and key: count(*) counts activities
    SELECT key, sum(v) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
    FROM country_rows GROUP BY key
),
------------------------------------------------------------------ province
province_m AS (  -- `largest`: the activity's largest row
    SELECT pk, w_country, v_p AS v, largest, approximate FROM am WHERE list_contains($parts, 'province')
),
ps AS (  -- Viet Nam's provinces in the generation $vn (province_view): as derived in
          -- province_share_view, or under a province filter (on the codes stored) grouped here
    SELECT pk, province, country, share FROM province_share_view
    WHERE list_contains($parts, 'province') AND len($province) = 0 AND gen = $vn
      AND (len($country) = 0 OR list_contains($country, country))
      AND pk IN (SELECT pk FROM province_m)  -- the filtered ones only: `known` groups by activity
    UNION ALL
    SELECT ps.pk, coalesce(v.shown, ps.province) AS province, any_value(ps.country) AS country,
           CASE WHEN bool_and(ps.share IS NOT NULL) THEN sum(ps.share) END AS share
    FROM province_share ps LEFT JOIN province_view v ON v.code = ps.province AND v.gen = $vn
    WHERE list_contains($parts, 'province') AND len($province) > 0
      AND list_contains($province, ps.province)
      AND (len($country) = 0 OR list_contains($country, ps.country))
      AND ps.pk IN (SELECT pk FROM province_m)
    GROUP BY ps.pk, coalesce(v.shown, ps.province)
),
known AS (SELECT pk, bool_and(share IS NOT NULL) AS split_known, sum(share) AS located FROM ps GROUP BY pk),
province_rows AS (  -- `share_of`: the share of the activity's money the row takes
    SELECT ps.province AS key, m.*, ps.share AS share_of
    FROM province_m m JOIN ps USING (pk) JOIN known k USING (pk) WHERE k.split_known
    UNION ALL
    SELECT '~split_unknown', m.*, m.w_country
    FROM province_m m JOIN known k USING (pk) WHERE NOT k.split_known
    UNION ALL
    -- what the provinces leave of the country share; a few 1e-16 left by adding up
    -- thirds is nothing
    SELECT '~national', m.*,
           CASE WHEN abs(m.w_country - coalesce(k.located, 0)) < 1e-9 THEN 0 ELSE m.w_country - coalesce(k.located, 0) END
    FROM province_m m LEFT JOIN known k USING (pk)
    WHERE len($province) = 0 AND coalesce(k.split_known, true)
),
province_by AS (
    -- an activity counts where one of its money rows leaves more than a trace; one row
    -- per activity and key (province_share has one per activity and province)
    SELECT key, sum(v * share_of) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
    FROM province_rows WHERE share_of IS NULL OR largest * abs(share_of) > 1e-9
    GROUP BY key
),
------------------------------------------------------------------ national
national_keyed AS (
    SELECT * FROM national_share WHERE list_contains($parts, 'national') AND len($country) = 0 AND len($province) = 0
    UNION ALL
    SELECT * FROM national_keys($country) WHERE list_contains($parts, 'national') AND len($country) > 0 AND len($province) = 0
),
national_by AS (  -- an activity counts where one of its money rows leaves more than a trace
    SELECT k.key, sum(m.v_p * k.share) AS value, bool_or(m.approximate) AS approximate, count(DISTINCT m.pk) AS n_projects
    FROM am m JOIN national_keyed k USING (pk)
    WHERE m.largest * abs(k.share) > 1e-9
    GROUP BY k.key
),
------------------------------------------------------------------ treemap
treemap_m AS (  -- each activity's money per funder key, summed before it is split
    SELECT ak.pk, ak.donor_key, pf.sector_known AS split_known, ak.v_sc AS v
    FROM ak JOIN pf USING (pk) WHERE list_contains($parts, 'treemap')
),
treemap_rows AS (
    SELECT m.pk, m.donor_key, ss.category, ss.sector, m.v * ss.share AS v
    FROM treemap_m m JOIN ss USING (pk) WHERE m.split_known
    UNION ALL
    SELECT pk, donor_key, '~split_unknown', NULL, v FROM treemap_m WHERE NOT split_known
    UNION ALL
    SELECT pk, donor_key, '~not_stated', NULL, v FROM treemap_m WHERE split_known IS NULL
),
treemap_all AS (  -- one row per activity, donor and sector: count(*) counts activities
    SELECT donor_key, category, sector, sum(v) AS value, count(*) AS n_projects
    FROM treemap_rows GROUP BY donor_key, category, sector
),
-- thousands of cells are unreadable and slow to send and draw: past $treemap_leaves
-- cells of positive value, the largest $treemap_leaves stay and the rest of each
-- donor's money is one '~other' cell of that donor (so every donor keeps its total)
treemap_top AS (  -- the largest cells
    SELECT donor_key, category, sector FROM treemap_all WHERE value > 0
    ORDER BY value DESC, donor_key, category, sector LIMIT $treemap_leaves
),
treemap_kept AS (
    SELECT t.*, n.n_positive <= $treemap_leaves OR k.donor_key IS NOT NULL AS kept
    FROM treemap_all t
    CROSS JOIN (SELECT count(*) FILTER (WHERE value > 0) AS n_positive FROM treemap_all) n
    LEFT JOIN treemap_top k ON k.donor_key = t.donor_key AND k.category IS NOT DISTINCT FROM t.category
                           AND k.sector IS NOT DISTINCT FROM t.sector
),
treemap_by AS (
    SELECT donor_key, category, sector, value, n_projects FROM treemap_kept WHERE kept
    UNION ALL
    SELECT donor_key, '~other', NULL, sum(value), sum(n_projects) FROM treemap_kept WHERE NOT kept GROUP BY donor_key
),
------------------------------------------------------------------ sankey
sankey_m AS (
    SELECT ak.pk, ak.donor_key, pf.implementer_key, pf.country_known AS split_known, ak.v_cs AS v
    FROM ak JOIN pf USING (pk) WHERE list_contains($parts, 'sankey')
),
sankey_rows AS (
    SELECT m.pk, m.donor_key, m.implementer_key, coalesce(cs.country, 'region:' || cs.region) AS country_key, m.v * cs.share AS v
    FROM sankey_m m JOIN cs USING (pk) WHERE m.split_known
    UNION ALL
    SELECT pk, donor_key, implementer_key, '~split_unknown', v FROM sankey_m WHERE NOT split_known
    UNION ALL
    SELECT pk, donor_key, implementer_key, '~not_stated', v FROM sankey_m WHERE split_known IS NULL
),
sankey_all AS (
    SELECT donor_key, implementer_key, country_key, sum(v) AS value
    FROM sankey_rows GROUP BY donor_key, implementer_key, country_key
),
-- a stage of more than $sankey_nodes nodes is unreadable: its $sankey_nodes - 1 largest
-- (by the money of their links drawn, those of positive value) stay and the others are
-- one '~other' node; links are summed, so every stage still adds up to the total
sankey_stage AS (
    SELECT 'donor' AS stage, donor_key AS key, sum(value) FILTER (WHERE value > 0) AS drawn FROM sankey_all GROUP BY donor_key
    UNION ALL
    SELECT 'implementer', implementer_key, sum(value) FILTER (WHERE value > 0) FROM sankey_all GROUP BY implementer_key
    UNION ALL
    SELECT 'country', country_key, sum(value) FILTER (WHERE value > 0) FROM sankey_all GROUP BY country_key
),
sankey_kept AS (
    SELECT stage, key FROM (
        SELECT stage, key, count(*) OVER (PARTITION BY stage) AS n,
               row_number() OVER (PARTITION BY stage ORDER BY coalesce(drawn, 0) DESC, key) AS rank
        FROM sankey_stage)
    WHERE n <= $sankey_nodes OR rank < $sankey_nodes
),
sankey_by AS (
    SELECT CASE WHEN d.key IS NULL THEN '~other' ELSE s.donor_key END AS donor_key,
           CASE WHEN i.key IS NULL THEN '~other' ELSE s.implementer_key END AS implementer_key,
           CASE WHEN c.key IS NULL THEN '~other' ELSE s.country_key END AS country_key,
           sum(s.value) AS value
    FROM sankey_all s
    LEFT JOIN sankey_kept d ON d.stage = 'donor' AND d.key = s.donor_key
    LEFT JOIN sankey_kept i ON i.stage = 'implementer' AND i.key = s.implementer_key
    LEFT JOIN sankey_kept c ON c.stage = 'country' AND c.key = s.country_key
    GROUP BY ALL
),
------------------------------------------------------------------ labels
org AS (SELECT org_id, CASE WHEN $lang = 'fr' THEN coalesce(name_fr, name_en) ELSE name_en END AS name FROM organisation),
place AS (  -- countries and regions under the keys the breakdowns use
    SELECT iso2 AS key, CASE WHEN $lang = 'fr' THEN coalesce(name_fr, name_en) ELSE name_en END AS name,
           NOT coalesce(mekong, true) AS outside  -- a country outside the five: the chart says so
    FROM country
    UNION ALL
    SELECT 'region:' || vocabulary || ':' || code, CASE WHEN $lang = 'fr' THEN coalesce(name_fr, name_en) ELSE name_en END, false
    FROM region
),
cat AS (SELECT code, CASE WHEN $lang = 'fr' THEN coalesce(name_fr, name_en) ELSE name_en END AS name FROM sector_category),
sec AS (SELECT code, CASE WHEN $lang = 'fr' THEN coalesce(name_fr, name_en) ELSE name_en END AS name FROM sector),
-- the donor key is the organisation, 'name:' and the name stated, or a bucket ('~...')
donor_label AS (
    SELECT DISTINCT donor_key, coalesce(o.name, CASE WHEN starts_with(donor_key, 'name:') THEN substr(donor_key, 6) END) AS label
    FROM (SELECT donor_key FROM treemap_by UNION ALL SELECT donor_key FROM sankey_by) k
    LEFT JOIN org o ON o.org_id = k.donor_key
)
SELECT 'donor' AS part, d.key, coalesce(o.name, n.funder_name) AS label, d.value, d.approximate, d.n_projects
FROM donor d JOIN donor_name n USING (key) LEFT JOIN org o ON o.org_id = d.key
UNION ALL BY NAME
SELECT 'sector' AS part, s.category AS key, s.category, c.name AS category_label, s.sector, se.name AS sector_label,
       s.value, s.approximate, s.n_projects
FROM sector_by s LEFT JOIN cat c ON c.code = s.category LEFT JOIN sec se ON se.code = s.sector
UNION ALL BY NAME
SELECT 'country' AS part, r.key, p.name AS label, r.value, r.approximate, r.n_projects, coalesce(p.outside, false) AS outside
FROM country_by r LEFT JOIN place p ON p.key = r.key
UNION ALL BY NAME
SELECT 'national' AS part, r.key, p.name AS label, r.value, r.approximate, r.n_projects, coalesce(p.outside, false) AS outside
FROM national_by r LEFT JOIN place p ON p.key = r.key
UNION ALL BY NAME
SELECT 'province' AS part, r.key, pr.name AS label, pr.country, r.value, r.approximate, r.n_projects
FROM province_by r LEFT JOIN province pr ON pr.iso = r.key
UNION ALL BY NAME
SELECT 'treemap' AS part, r.donor_key AS key, r.donor_key, dl.label AS donor_label, r.category, c.name AS category_label,
       r.sector, se.name AS sector_label, r.value, r.n_projects
FROM treemap_by r LEFT JOIN donor_label dl USING (donor_key) LEFT JOIN cat c ON c.code = r.category LEFT JOIN sec se ON se.code = r.sector
UNION ALL BY NAME
SELECT 'sankey' AS part, r.donor_key AS key, r.donor_key, dl.label AS donor_label, r.implementer_key, io.name AS implementer_label,
       r.country_key, p.name AS country_label, r.value, coalesce(p.outside, false) AS country_outside
FROM sankey_by r LEFT JOIN donor_label dl USING (donor_key) LEFT JOIN org io ON io.org_id = r.implementer_key
LEFT JOIN place p ON p.key = r.country_key
ORDER BY part, value DESC, key, category, sector, implementer_key, country_key;
