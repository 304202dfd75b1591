"""IATI codes the importer reads, and the words IATI 1.0x files use instead of them."""

# participating-org @role: 2.0x codes, 1.0x words -> the schema's role names
ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing",
         "funding": "funding", "accountable": "accountable", "extending": "extending",
         "implementing": "implementing"}

# activity-date @type: 2.0x codes and 1.0x words -> project_date.type
DATE_TYPES = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end",
              "start-planned": "planned_start", "start-actual": "actual_start",
              "end-planned": "planned_end", "end-actual": "actual_end"}

# activity-status: codes 1-6; 1.0x files sometimes give only the word
STATUS_CODES = {"1", "2", "3", "4", "5", "6"}
STATUS_WORDS = {"pipeline": "1", "pipeline/identification": "1", "identification": "1",
                "implementation": "2", "finalisation": "3", "completion": "3",
                "closed": "4", "post-completion": "4", "cancelled": "5", "suspended": "6"}

# transaction-type: 2.0x codes 1-13; 1.0x letters (and the words behind them)
TRANSACTION_CODES = {str(i) for i in range(1, 14)}
TRANSACTION_LETTERS = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
                       "QP": "8", "QS": "9", "CG": "10"}
TRANSACTION_WORDS = {"incoming funds": "1", "commitment": "2", "disbursement": "3",
                     "expenditure": "4", "interest repayment": "5", "loan repayment": "6",
                     "reimbursement": "7", "purchase of equity": "8", "sale of equity": "9",
                     "credit guarantee": "10", "incoming commitment": "11",
                     "outgoing pledge": "12", "incoming pledge": "13"}

# budget @type
BUDGET_TYPES = {"1": "original", "2": "revised", "original": "original", "revised": "revised"}

# sector @vocabulary: 2.0x codes; 1.0x words
SECTOR_VOCABULARIES_1X = {"dac": "1", "dac-3": "2", "dac-5": "1", "coficog": "3", "nace": "4",
                          "ntee": "5", "ag": "6", "sdg": "7", "rpi": "99"}

# Location kinds from GeoNames feature designations (IATI's LocationType codelist)
FEATURE_KINDS = {"ADM1": "province", "ADM1H": "province", "ADM2": "district", "ADM2H": "district",
                 "ADM3": "district", "ADM4": "district", "ADM5": "district", "ADMD": "district",
                 "PCL": "country", "PCLI": "country", "PCLD": "country", "PCLF": "country",
                 "PCLS": "country", "PCLIX": "country"}


def transaction_type(raw: str | None) -> str | None:
    """'3', 'D' or 'Disbursement' -> '3'; None when unreadable."""
    if not raw:
        return None
    raw = raw.strip()
    if raw in TRANSACTION_CODES:
        return raw
    return TRANSACTION_LETTERS.get(raw.upper()) or TRANSACTION_WORDS.get(raw.lower())


def status_code(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip()
    return raw if raw in STATUS_CODES else STATUS_WORDS.get(raw.lower())


def sector_vocabulary(raw: str | None) -> str | None:
    """Default (absent) is DAC 5-digit, '1'; 1.0x words are mapped; unknown -> None."""
    if raw is None or not raw.strip():
        return "1"
    raw = raw.strip()
    if raw.isdigit():
        return raw
    return SECTOR_VOCABULARIES_1X.get(raw.lower())


def location_kind(feature: str | None) -> str | None:
    if not feature:
        return None
    feature = feature.strip().upper()
    if feature in FEATURE_KINDS:
        return FEATURE_KINDS[feature]
    if feature.startswith("PPL"):
        return "city"
    return None
