"""A small portfolio with hand-computed answers, for the query tests.

Exchange rate used: the ECB reference rate of 15 June 2020 is 1.1253 USD per EUR, so
1125.30 USD valued that day is exactly 1000 EUR.

P1  co-funded with stated contributions: A 600 EUR + B 400 EUR; sectors 11110 60 % and
    12110 40 %; Laos; 2020-01-01 .. 2021-12-31 (731 days); implementer X.
P2  funded by A: an original budget of 1000 EUR for 2020 revised to 1200 EUR, and an
    original of 500 EUR for 2021 (no revision); sector 43040; Cambodia 50 % / Viet Nam
    50 %; one place in Phnom Penh (KH-12); implementers X and Y.
P3  funded by A and B with no stated split: 1125.30 USD valued 2020-06-15 (= 1000 EUR)
    and 5 000 000 LAK valued 2026-06-15 (no ECB rate, and no average rate either: not
    converted); Thailand; no sector; budget period = 2020.
P4  region-only (Mekong); no budget; a commitment of 300 EUR (2021-03-01) and a
    disbursement of 100 EUR (2021-06-01) from A; no dates of its own.
"""
from pathlib import Path

import duckdb

from mekong.store.build import create_empty
from mekong.store.derive import check_integrity, derive

USD_PER_EUR_2020_06_15 = 1.1253

FACTS = """
INSERT INTO document (document_id, title, publisher, file, language, kind) VALUES ('doc', 'Fixture', 'Tests', 'fixture', 'en', 'seed');
INSERT INTO source VALUES ('src', 'doc', 'fixture passage', NULL);
INSERT INTO organisation (org_id, ref, name_en, name_fr, type, source_id) VALUES
  ('A', NULL, 'Donor A', 'Bailleur A', NULL, 'src'),
  ('B', NULL, 'Donor B', 'Bailleur B', NULL, 'src'),
  ('X', NULL, 'Implementer X', NULL, NULL, 'src'),
  ('Y', NULL, 'Implementer Y', NULL, NULL, 'src');
INSERT INTO project (project_id, code, title_en, title_fr, description_en, status, hierarchy, document_id, source_id) VALUES
  ('P1', 'P-1', 'Health and education', 'Santé et éducation', 'co-funded school health', '2', 1, 'doc', 'src'),
  ('P2', 'P-2', 'Rural roads', NULL, 'revised budget', '4', 1, 'doc', 'src'),
  ('P3', 'P-3', 'Mixed currencies', NULL, NULL, '2', 1, 'doc', 'src'),
  ('P4', 'P-4', 'Regional transactions', NULL, NULL, NULL, 1, 'doc', 'src');
INSERT INTO project_date VALUES
  ('P1', 'actual_start', '2020-01-01', 'day', 'src'), ('P1', 'planned_end', '2021-12-31', 'day', 'src'),
  ('P2', 'actual_start', '2020-01-01', 'day', 'src'), ('P2', 'actual_end', '2021-12-31', 'day', 'src'),
  ('P3', 'planned_start', '2020-01-01', 'day', 'src');
INSERT INTO participation VALUES
  ('P1', 'A', 'funding', 'src'), ('P1', 'B', 'funding', 'src'), ('P1', 'X', 'implementing', 'src'),
  ('P2', 'A', 'funding', 'src'), ('P2', 'X', 'implementing', 'src'), ('P2', 'Y', 'implementing', 'src'),
  ('P3', 'A', 'funding', 'src'), ('P3', 'B', 'funding', 'src'),
  ('P4', 'A', 'funding', 'src');
INSERT INTO project_sector VALUES
  ('P1', '1', '11110', 60, 'src', NULL), ('P1', '1', '12110', 40, 'src', NULL),
  ('P2', '1', '43040', NULL, 'src', NULL);
INSERT INTO project_country VALUES
  ('P1', 'LA', NULL, 'src'), ('P2', 'KH', 50, 'src'), ('P2', 'VN', 50, 'src'), ('P3', 'TH', 100, 'src');
INSERT INTO project_region VALUES ('P4', '99', 'MEKONG', NULL, 'src');
INSERT INTO location VALUES ('L1', 'Phnom Penh', 'city', 'KH', 'KH-12', 11.56, 104.92, NULL, 'src');
INSERT INTO project_location VALUES ('P2', 'L1', NULL, 'src');
INSERT INTO budget (budget_id, project_id, kind, type, contributor_org_id, amount, currency, period_start, period_end, value_date, source_id) VALUES
  ('b1a', 'P1', 'budget', 'original', 'A', 600, 'EUR', NULL, NULL, NULL, 'src'),
  ('b1b', 'P1', 'budget', 'original', 'B', 400, 'EUR', NULL, NULL, NULL, 'src'),
  ('b2o', 'P2', 'budget', 'original', NULL, 1000, 'EUR', '2020-01-01', '2020-12-31', '2020-06-15', 'src'),
  ('b2r', 'P2', 'budget', 'revised', NULL, 1200, 'EUR', '2020-01-01', '2020-12-31', '2020-06-15', 'src'),
  ('b2n', 'P2', 'budget', 'original', NULL, 500, 'EUR', '2021-01-01', '2021-12-31', '2020-06-15', 'src'),
  ('b3u', 'P3', 'budget', 'original', NULL, 1125.30, 'USD', '2020-01-01', '2020-12-31', '2020-06-15', 'src'),
  ('b3l', 'P3', 'budget', 'original', NULL, 5000000, 'LAK', '2020-01-01', '2020-12-31', '2026-06-15', 'src');
INSERT INTO "transaction" (transaction_id, project_id, type, date, amount, currency, value_date, provider_org_id, source_id) VALUES
  ('t4c', 'P4', '2', '2021-03-01', 300, 'EUR', NULL, 'A', 'src'),
  ('t4d', 'P4', '3', '2021-06-01', 100, 'EUR', NULL, 'A', 'src');
INSERT INTO event VALUES ('E1', 'P1', 'Launch', 'Lancement', '2020-02-03', NULL, 'day', 'L1', 'src');
"""


def build_fixture(path: Path, facts: str = FACTS) -> Path:
    """A database of `facts` (SQL inserts; this module's by default), derived and checked."""
    con = duckdb.connect(str(path))
    create_empty(con)
    con.execute(facts)
    derive(con)
    check_integrity(con)
    con.close()
    return path
