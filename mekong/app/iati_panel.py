"""The Data page's "Load from IATI" panel: choose countries, follow the fetch (pages,
activities, rate), cancel it, read its report; every fetched source with when it was
fetched and a Refresh button. Hidden when imports are off (MEKONG_IMPORTS=off).

The fetch (mekong/importers/live.py) runs in a thread of its own, kept in the session,
while the page's run draws its progress; a click on Cancel (or anywhere) reruns the page,
which finds the fetch still running and follows it again, so only Cancel stops it. A
cancelled fetch changes nothing: it is stopped before its import starts, and the import,
once started, cannot be cancelled (the button is then disabled).
"""
import threading
import time
from functools import partial

import pandas as pd
import streamlit as st
from babel import Locale

from mekong.app import data_page
from mekong.app.ui import known, lang, portfolio, query, t
from mekong.importers import dportal, live
from mekong.reference.csvio import read_curated
from mekong.views import describe, fmt

_JOB = "_iati_job"        # the fetch running for this session
_DONE = "_iati_report"    # the last fetch's FetchReport, shown until dismissed
POLL = 0.25               # seconds between two redraws of the progress


class Job:
    """One fetch in a thread: countries from d-portal, or one address."""

    def __init__(self, db, countries: list[str] | None = None, url: str | None = None):
        self.countries, self.url = countries or [], url
        self.stop = live.Stop()
        self.progress: live.Progress | None = None
        self.report: live.FetchReport | None = None
        self.failure: str | None = None
        self.thread = threading.Thread(target=self._run, args=(db,), daemon=True, name="mekong-iati-fetch")
        self.thread.start()

    def _run(self, db) -> None:
        try:
            if self.url:
                self.report = live.fetch_url(self.url, db, progress=self._seen, stop=self.stop)
            else:
                self.report = live.fetch_countries(self.countries, db, progress=self._seen, stop=self.stop)
        except Exception as e:  # noqa: BLE001 - shown on the page; the database is untouched (all or nothing)
            self.failure = f"{type(e).__name__}: {e}"

    def _seen(self, p: live.Progress) -> None:
        self.progress = p


def country_label(code: str, language: str | None = None) -> str:
    """'Laos (LA)', in the page's language, with the names the dashboard uses ('Myanmar
    (MM)', not CLDR's 'Myanmar (Burma)': mekong/reference/curated/country_names.csv)."""
    language = language or lang()
    own = _OWN_NAMES.get(code)
    name = own[f"name_{language}"] if own and own.get(f"name_{language}") else Locale.parse(language).territories.get(code, code)
    return f"{name} ({code})"


_OWN_NAMES = {r["iso2"]: r for r in read_curated("country_names.csv")}


def _when(value) -> str:
    """'5 Jan 2026 10:32 UTC'."""
    if not known(value):
        return ""
    value = pd.Timestamp(value)
    return f"{fmt.date(value.to_pydatetime(), lang())} {value:%H:%M} UTC"


def panel() -> None:
    if not data_page.imports_allowed():
        return
    st.subheader(t("fetch.title"))
    st.caption(t("fetch.help", url=fmt.md(dportal.api_url())))
    job: Job | None = st.session_state.get(_JOB)
    if job is not None:
        follow(job)
        return
    chosen = st.multiselect(t("fetch.countries"), list(dportal.COUNTRIES), format_func=partial(country_label, language=lang()),
                            key="iati_countries", placeholder=t("fetch.countries_placeholder"))
    if st.button(t("fetch.load"), type="primary", disabled=not chosen, key="iati_load",
                 icon=":material/cloud_download:"):
        start(Job(portfolio().path, countries=list(chosen)))
    last_fetch()
    fetched_sources()


def start(job: Job) -> None:
    st.session_state.pop(_DONE, None)
    st.session_state[_JOB] = job
    follow(job)


def follow(job: Job) -> None:
    """Draw the fetch's progress until it ends, then show its report on a new run."""
    if st.session_state.get("iati_cancel") and job.stop.request():
        _done(job, cancelled=True)
        return
    what = job.url or ", ".join(country_label(c) for c in job.countries)
    with st.container(border=True):
        st.markdown(fmt.md(t("fetch.running", what=what)))
        bar = st.progress(0.0, text=t("fetch.starting"))
        note = st.empty()
        importing = bool(job.progress and job.progress.phase == "import")
        st.button(t("fetch.cancel"), key="iati_cancel", icon=":material/cancel:", disabled=importing)
        while job.thread.is_alive():
            p = job.progress
            if p is not None:
                bar.progress(_fraction(job, p), text=progress_text(p))
                if p.phase == "retry":
                    note.caption(fmt.md(t("fetch.retrying", note=p.note)))
                elif p.phase == "import":
                    note.caption(t("fetch.import_running"))
                else:
                    note.empty()
            time.sleep(POLL)
    _done(job)


def _fraction(job: Job, p: live.Progress) -> float:
    """The share of countries done (a country's number of pages is known only at its end)."""
    if p.phase == "import":
        return 1.0
    if not job.countries or p.country not in job.countries:
        return 0.0
    return job.countries.index(p.country) / len(job.countries)


def progress_text(p: live.Progress) -> str:
    if p.phase == "import":
        return t("fetch.importing", activities=fmt.number(p.activities, lang()), pages=fmt.number(p.pages, lang()))
    where = country_label(p.country) if p.country else ""
    text = t("fetch.progress", where=where, pages=fmt.number(p.pages, lang()),
             activities=fmt.number(p.activities, lang()), rate=fmt.number(round(p.rate), lang()))
    if p.from_cache:
        text += " · " + t("fetch.from_cache", n=fmt.number(p.from_cache, lang()))
    return text


def _done(job: Job, cancelled: bool = False) -> None:
    st.session_state.pop(_JOB, None)
    report = job.report
    if cancelled or report is None:  # cancelled: the thread may still be ending its last request
        report = live.FetchReport(db_path=str(portfolio().path), cancelled=cancelled,
                                  error=None if cancelled else (job.failure or "the fetch ended without a report"))
    st.session_state[_DONE] = report
    if report.imported is not None:
        data_page.keep_report(report.imported)  # the import's report, shown as for an upload
    st.rerun()  # the next run reads the new database file


def last_fetch() -> None:
    report: live.FetchReport | None = st.session_state.get(_DONE)
    if report is None:
        return
    with st.container(border=True):
        if report.applied:
            what = report.url or ", ".join(country_label(c.country) for c in report.countries)
            st.success(fmt.md(t("fetch.applied", n=fmt.number(report.imported.activities, lang()), what=what)),
                       icon=":material/check_circle:")
        elif report.cancelled:
            st.warning(t("fetch.cancelled"), icon=":material/cancel:")
        else:
            st.error(f"{t('fetch.refused')}\n\n{fmt.md(report.reason or '')}", icon=":material/block:")
            if any(c.pages for c in report.countries):
                st.caption(t("fetch.kept"))
        rows = [{t("fetch.col_country"): country_label(c.country), t("fetch.col_pages"): c.pages,
                 t("fetch.col_cached"): c.from_cache, t("fetch.col_activities"): c.activities,
                 t("fetch.col_repeated"): c.repeated, t("fetch.col_fetched"): _when(c.started_at)}
                for c in report.countries if c.url and (c.pages or report.applied)]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            st.caption(t("fetch.repeated_note"))
        if st.button(t("data.dismiss"), icon=":material/close:", key="iati_dismiss"):
            del st.session_state[_DONE]
            st.rerun()


def fetched_sources() -> None:
    """Each source fetched from the internet: when, how recent, and a Refresh button."""
    docs = query("data_fetched")
    if docs.empty:
        return
    st.markdown(f"**{t('fetch.sources')}**")
    st.caption(fmt.md(describe.data_date_line(query("view_sources"), t, lang())))
    for d in docs.itertuples():
        cc = d.document_id.removeprefix("dportal:") if d.document_id.startswith("dportal:") else None
        label = country_label(cc) if cc else d.url
        cols = st.columns([4, 2, 3, 3, 2], vertical_alignment="center")
        cols[0].markdown(fmt.md(label))
        cols[1].markdown(fmt.md(t("fetch.activities", n=fmt.number(int(d.n_activities), lang()))))
        cols[2].markdown(fmt.md(t("fetch.fetched", when=_when(d.fetched_at))))
        cols[3].markdown(fmt.md(t("fetch.updated", date=fmt.date(d.last_updated, lang())) if known(d.last_updated)
                                else t("fetch.updated_unknown")))
        if cols[4].button(t("fetch.refresh"), key=f"iati_refresh_{d.document_id}", icon=":material/refresh:"):
            start(Job(portfolio().path, countries=[cc]) if cc else Job(portfolio().path, url=d.url))
