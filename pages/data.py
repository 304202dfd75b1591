"""Data: load a portfolio (IATI XML, the spreadsheet template, or live from IATI) all or
nothing, see what the import read and what was wrong, what is loaded per source, and the
data quality."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app import data_page, iati_panel, traceability
from mekong.app.ui import t


def main() -> None:
    st.title(t("data.title"))
    st.caption(t("data.intro"))
    data_page.upload()
    data_page.last_report()  # right under the upload, on the screen after an import
    iati_panel.panel()
    data_page.sources()
    traceability.show()
    data_page.quality()
    data_page.template_downloads()


main()
