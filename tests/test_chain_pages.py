"""AppTest: the funding chain on the pages, on the hand-made three-publisher portfolio
(tests/fixtures/iati/chain/): the count switch, the chain on a project's page, the chain
sankey on the funding page and traceability on the Data page."""
import shutil
from pathlib import Path

import pytest

from mekong.importers import import_files

CHAIN = Path(__file__).parent / "fixtures" / "iati" / "chain"


@pytest.fixture(scope="module")
def chain_db(seed_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("chainpages") / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    assert import_files(sorted(CHAIN.glob("*.xml")), path).applied
    return path


@pytest.fixture()
def chain_app(app, chain_db, monkeypatch):
    monkeypatch.setenv("MEKONG_DB", str(chain_db))
    return app


def _text(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info", "subheader", "title") for e in getattr(at, kind))


def test_the_count_switch_and_what_was_left_out(chain_app):
    at = chain_app("funding", flow="disbursement", ccy="USD")
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["count"] == "net"
    text = _text(at)
    assert "USD\u00a0900,000 is left out as double counting" in text
    assert "Money passed between loaded activities is counted once." in text
    gross = chain_app("funding", flow="disbursement", ccy="USD", count="gross")
    assert gross.session_state["count"] == "gross"
    assert "USD\u00a0900,000 of them is counted more than once" in _text(gross)


def test_the_chain_sankey_on_the_funding_page(chain_app):
    at = chain_app("funding", flow="disbursement", ccy="USD")
    assert "Funding chain: from the original funders through intermediaries to the implementers" in _text(at)
    charts = [c for c in at.get("plotly_chart")]
    assert any('"Multilateral Fund"' in c.proto.spec and '"Second Donor"' in c.proto.spec for c in charts)


def test_the_funding_chain_on_a_project_page(chain_app):
    at = chain_app("projects", project="XX-MULTI-1", ccy="USD")
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "Funding chain" in text and "Received from" in text and "Passed on to" in text
    # one link per counterpart (its label escaped for Markdown: shown as written)
    labels = [b.label.replace("\\", "") for b in at.button]
    assert [b for b in labels if "(XX-" in b] == ["Contribution to the Multilateral Fund (XX-DONOR-1)",
                                                  "Village health workers (XX-NGOA-1)", "Clean water (XX-NGOB-1)"]
    assert "Donor Agency: incoming funds USD\u00a01,000,000 as this activity reports it" in text
    assert ("NGO B: disbursements USD\u00a0300,000 as this activity reports it; "
            "incoming funds USD\u00a0250,000 as the other activity reports it") in text
    ngo = chain_app("projects", project="XX-NGOA-1", ccy="USD")
    assert "XX\\-DONOR2\\-7 — not loaded" in _text(ngo)
    # a linked activity opens its own page
    button = next(b for b in at.button if "XX\\-NGOB\\-1" in b.label)
    button.click().run()
    assert at.session_state["project"] == "XX-NGOB-1"


def test_traceability_on_the_data_page(chain_app):
    at = chain_app("data")
    assert "Traceability per publisher" in _text(at)
    tables = [d.value for d in at.dataframe]
    assert any("NGO A" in set(t.iloc[:, 0]) for t in tables)
