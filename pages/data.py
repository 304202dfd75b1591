"""Data: load a portfolio (IATI XML or the spreadsheet template) all or nothing, see what
the import read and what was wrong, what is loaded per source, and the data quality."""
from mekong import entry

entry.ensure()

import streamlit as st

from mekong import data_view
from mekong.ui import t


def main() -> None:
    st.title(t("data.title"))
    st.caption(t("data.intro"))
    data_view.upload()
    data_view.last_report()
    data_view.sources()
    data_view.quality()
    data_view.template_downloads()


main()
