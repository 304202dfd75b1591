"""The Data page's parts: the upload and its report, what is loaded per source, the
data-quality checks and the spreadsheet template."""
import os

import pandas as pd
import streamlit as st

from mekong.app import urlstate, widgets
from mekong.app.ui import blank, date, lang, portfolio, query, t, today
from mekong.exports import files
from mekong.importers import MAX_BYTES, ImportReport, import_data, remove_imports, template
from mekong.importers.report import COUNT_LABELS
from mekong.views import describe, fmt
from mekong.views.deviations import translate
from mekong.views.quality import detail as quality_detail

_REPORT = "_import_report"
_REMOVED = "_data_removed"  # what the last removal did, shown on the next run
_UPLOADER = "_data_upload_n"  # a new key empties the uploader after an import
CHECKS = ("no_budget", "no_location", "no_sector", "dates", "not_converted")
_COUNT_COLUMNS = {"activities": "col_activities", "budgets": "col_budgets", "planned_disbursements": "col_planned",
                  "transactions": "col_transactions", "participations": "col_participations",
                  "sectors": "col_sectors", "countries": "col_countries", "regions": "col_regions",
                  "locations": "col_locations"}
assert set(_COUNT_COLUMNS) == {k for k, _ in COUNT_LABELS}


def imports_allowed() -> bool:
    """A server shown to many people can make the data read only (MEKONG_IMPORTS=off)."""
    return os.environ.get("MEKONG_IMPORTS", "on").strip().lower() not in ("off", "0", "no", "false")


def upload() -> None:
    st.subheader(t("data.load"))
    st.caption(t("data.load_help"))
    if not imports_allowed():
        st.info(t("data.imports_off"), icon=":material/lock:")
        return
    n = st.session_state.get(_UPLOADER, 0)
    files = st.file_uploader(t("data.upload", mb=MAX_BYTES // 2**20), type=["xml", "xlsx", "csv"],
                             accept_multiple_files=True, max_upload_size=MAX_BYTES // 2**20, key=f"data_upload_{n}")
    all_countries = st.checkbox(t("data.all_countries"), key="data_all_countries", help=t("data.all_countries_help"))
    if st.button(t("data.import_button"), type="primary", disabled=not files, icon=":material/upload:", key="data_import"):
        with st.spinner(t("data.importing", n=len(files))):
            report = import_data([(f.name, f.getvalue()) for f in files], portfolio().path, all_countries=all_countries)
        st.session_state[_REPORT] = report
        if report.applied:
            st.session_state[_UPLOADER] = n + 1
        st.rerun()  # the next run reads the new database file


def keep_report(report: ImportReport) -> None:
    """Show this import's report on the page (the "Load from IATI" panel's imports too)."""
    st.session_state[_REPORT] = report


def last_report() -> None:
    report: ImportReport | None = st.session_state.get(_REPORT)
    if report is None:
        return
    with st.container(border=True):
        if report.applied:
            names = fmt.md(", ".join(f.file for f in report.files))
            st.success(t("data.applied", n=report.activities, files=names, seconds=fmt.number(round(report.seconds, 1), lang())),
                       icon=":material/check_circle:")
            if report.built_first:
                st.info(t("data.built_first"))
            if report.replaced_documents:
                st.info(t("data.replaced", docs=fmt.md(", ".join(report.replaced_documents)), n=fmt.number(report.replaced_activities, lang()),
                          removed=fmt.number(report.removed_activities, lang())))
        else:
            st.error(f"{t('data.refused')}\n\n{fmt.md(report.reason or '')}", icon=":material/block:")
        if lang() == "fr" and report.reason and not report.applied:
            st.caption(t("data.messages_english"))
        files = [f for f in report.files if f.kind]
        if files:
            st.markdown(f"**{t('data.report_files')}**")
            st.dataframe(pd.DataFrame([{
                t("data.col_file"): f.file, t("data.col_kind"): t(f"about.kind_{f.kind}"),
                t("data.col_publisher"): describe.publisher_text(f.publisher, t) or t("common.not_stated"),
                **{t(f"data.{col}"): f.counts.get(key, 0) for key, col in _COUNT_COLUMNS.items()},
            } for f in files]), hide_index=True, width="stretch")
        for f in files:
            if f.left_out.activities:
                named = ", ".join(f"{t('common.not_stated') if k == 'none stated' else k} {fmt.number(n, lang())}"
                                  for k, n in f.left_out.recipients.most_common(8))
                st.info(t("data.left_out", file=fmt.md(f.file), n=fmt.number(f.left_out.activities, lang()),
                          recipients=fmt.md(named)),
                        icon=":material/filter_alt:")
        if report.money:
            st.markdown(f"**{t('data.report_money')}**")
            st.dataframe(money_table(report.money), hide_index=True, width="stretch")
            st.caption(t("data.report_money_note"))
        deviations(pd.DataFrame(report.deviation_rows(), columns=["file", "line", "activity", "element", "severity",
                                                                  "message"]), key="report")
        if st.button(t("data.dismiss"), icon=":material/close:"):
            del st.session_state[_REPORT]
            st.rerun()


def money_table(money: list[dict]) -> pd.DataFrame:
    def amount(value, currency):
        return fmt.money(float(value), currency, lang()) if value is not None else ""

    return pd.DataFrame([{
        t("data.col_money_kind"): t(f"data.kind_{m['kind']}"),
        t("data.col_currency"): m["currency"], t("data.col_rows"): m["rows"],
        t("data.col_amount"): amount(m["amount"], m["currency"]),
        t("data.col_average"): amount(m["amount_monthly"] + m["amount_yearly"], m["currency"])
        if m["monthly"] + m["yearly"] else "",
        t("data.col_not_converted"): m["not_converted"],
        t("data.col_amount_not_converted"): amount(m["amount_not_converted"], m["currency"]) if m["not_converted"] else "",
    } for m in money])


def deviations(rows: pd.DataFrame, key: str) -> None:
    """The deviations of one import (file, line, activity, element, severity, message),
    with a CSV download."""
    if rows.empty:
        st.caption(t("data.no_deviations"))
        return
    errors = int((rows["severity"] == "error").sum())
    st.markdown("**" + t('data.deviations', total=fmt.number(len(rows), lang()),
                           errors=t('data.deviations_errors', n=fmt.number(errors, lang())),
                           warnings=t('data.deviations_warnings', n=fmt.number(len(rows) - errors, lang()))) + "**")
    table = pd.DataFrame({
        t("data.col_file"): rows["file"], t("data.col_line"): rows["line"].astype("Int64"),
        t("data.col_activity"): rows["activity"].fillna(""), t("data.col_element"): rows["element"],
        t("data.col_severity"): rows["severity"].map(lambda s: t(f"data.severity_{s}")),
        t("data.col_message"): [translate(m, lang())[0] for m in rows["message"]],
    })
    if not all(translate(m, lang())[1] for m in rows["message"].drop_duplicates()):
        st.caption(t("data.messages_english_some"))
    st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 400))
    st.download_button(t("data.download_deviations"), files.table_csv(table), file_name="import-deviations.csv",
                       mime="text/csv", key=f"deviations_{key}", icon=":material/download:")


def sources() -> None:
    st.subheader(t("data.sources"))
    st.caption(t("data.sources_help"))
    if _REMOVED in st.session_state:
        st.success(st.session_state.pop(_REMOVED), icon=":material/delete:")
    docs = query("data_sources")
    widgets.table([{
        t("data.col_document"): describe.document_title(d, t, lang()), t("data.col_kind"): t(f"about.kind_{d.kind}"),
        t("data.col_file"): blank(d.file) or blank(d.url),
        t("data.col_publisher"): describe.publisher_text(d.publisher, t) or t("common.not_stated"),
        t("data.col_published"): date(d.published) if blank(d.published) else "",
        t("data.col_loaded"): date(d.imported_at) if blank(d.imported_at) else "",
        t("data.col_fetched"): date(d.fetched_at) if blank(d.fetched_at) else "",
        t("data.col_activities"): int(d.n_activities), t("data.col_budgets"): int(d.n_budgets),
        t("data.col_planned"): int(d.n_planned_disbursements), t("data.col_transactions"): int(d.n_transactions),
        t("data.col_locations"): int(d.n_locations), t("data.col_deviations"): int(d.n_deviations),
        t("data.col_errors"): int(d.n_errors),
    } for d in docs.itertuples()], "sources", t("data.sources"), height=min(38 + 35 * len(docs), 420))
    with_deviations = docs[docs["n_deviations"] > 0]
    if not with_deviations.empty:
        with st.expander(t("data.source_deviations"), icon=":material/rule:"):
            labels = dict(zip(with_deviations["document_id"], with_deviations["file"].fillna(with_deviations["document_id"])))
            doc = st.selectbox(t("data.choose_source"), list(labels), format_func=labels.get, key="data_source")
            deviations(query("data_deviations", document_id=doc), key="source")
    imported = docs[docs["kind"].isin(["iati", "spreadsheet"])]
    if not imported.empty and imports_allowed():
        remove(dict(zip(imported["document_id"], imported["file"].fillna(imported["document_id"]))))


def remove(labels: dict[str, str]) -> None:
    """Take imported files out again (the curated portfolio stays)."""
    with st.expander(t("data.remove"), icon=":material/delete:"):
        chosen = st.multiselect(t("data.remove_choose"), list(labels), format_func=labels.get, key="data_remove")
        if st.button(t("data.remove_button"), disabled=not chosen, key="data_remove_button", icon=":material/delete:"):
            try:
                n = remove_imports(chosen, portfolio().path)
            except Exception as e:  # noqa: BLE001 - shown; the file is untouched (one transaction on a copy)
                st.error(t("data.remove_failed", error=fmt.md(str(e))))
                return
            st.session_state.pop(_REPORT, None)
            st.session_state.pop("data_remove", None)
            st.session_state[_REMOVED] = t("data.removed", n=n, files=fmt.md(", ".join(labels[d] for d in chosen)))
            st.rerun()


def quality() -> None:
    st.subheader(t("data.quality"))
    st.caption(t("data.quality_help"))
    rows = query("data_quality", check=None, today=today())
    counts = rows.groupby("check")["project_id"].nunique()
    cols = st.columns(len(CHECKS))
    for col, check in zip(cols, CHECKS):
        col.metric(t(f"data.check_{check}"), fmt.number(int(counts.get(check, 0)), lang()))
    check = st.segmented_control(t("data.quality_choose"), CHECKS, format_func=lambda c: t(f"data.check_{c}"),
                                 default=CHECKS[0], key="data_check")
    chosen = rows[rows["check"] == (check or CHECKS[0])]
    if chosen.empty:
        st.caption(t("data.quality_none"))
        return
    widgets.table(pd.DataFrame({
        t("data.col_open"): [urlstate.project_link(p) for p in chosen["project_id"]],
        t("data.col_title"): chosen["title"], t("data.col_activity"): chosen["project_id"],
        t("data.col_detail"): [quality_detail(t, r.detail_key, r.detail_n, r.detail_a, r.detail_b) for r in chosen.itertuples()],
        t("data.col_document"): chosen["file"].fillna(chosen["document_id"]),
    }), f"quality_{check or CHECKS[0]}", t(f"data.check_{check or CHECKS[0]}"), height=min(38 + 35 * len(chosen), 420),
        column_config={t("data.col_open"): st.column_config.LinkColumn(display_text=t("data.open"), width="small"),
                       t("data.col_title"): st.column_config.TextColumn(width="large")})


def template_downloads() -> None:
    st.subheader(t("data.template"))
    st.caption(t("data.template_help"))
    cols = st.columns(1 + len(template.SHEETS))
    cols[0].download_button(t("data.template_xlsx"), template.xlsx_bytes(lang()), file_name=template.XLSX_NAME,
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            icon=":material/download:", key="template_xlsx")
    for col, sheet in zip(cols[1:], template.SHEETS):
        col.download_button(t("data.template_csv", sheet=sheet), template.csv_bytes(sheet), file_name=f"{sheet}.csv",
                            mime="text/csv", icon=":material/download:", key=f"template_{sheet}")
    with st.expander(t("data.template_columns"), icon=":material/view_column:"):
        st.markdown(template.columns_markdown(lang()))
