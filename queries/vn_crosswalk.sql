-- Viet Nam's reform of 1 July 2025 (data/reference/vn_2025_crosswalk.csv from
-- vietnamadminunits 1.0.4): each of the 34 units with the former provinces it absorbed,
-- by the unit's official code.
SELECT u.unit, u.unit_code, n.name AS unit_name, u.former_iso, u.former_code, p.name AS former_name
FROM province_unit u
JOIN province n ON n.iso = u.unit
JOIN province p ON p.iso = u.former_iso
ORDER BY u.unit_code, u.former_code;
