"""The presenter's notes on charts in the app: read from the link once, written in a
small field beside each chart's downloads, shown under the chart as plain text, and put
back into the URL at every run (so the share link, the slides and the PDF carry them)."""
import streamlit as st

from mekong.app import urlstate
from mekong.app.ui import t
from mekong.views import fmt, notes

_NOTES = "_chart_notes"
_NOTICE = "_ignored_notes"


def seed() -> None:
    """Every run, before the pages: the notes of the link (once per session), then every
    note into the URL."""
    link = {k: urlstate.take(k) for k in list(urlstate.initial()) if k.startswith(notes.PREFIX)}
    if link:
        found, ignored = notes.from_query(link)
        st.session_state[_NOTES] = {**current(), **found}
        st.session_state[_NOTICE] = ignored
    for name, text in notes.to_query(current()).items():
        urlstate.put(name, text)


def current() -> dict[str, str]:
    """{chart key: note} of this session."""
    return dict(st.session_state.get(_NOTES, {}))


def get(key: str) -> str:
    return current().get(key, "")


def _changed(key: str) -> None:
    text = notes.clean(st.session_state.get(f"_note_input_{key}", ""))
    kept = current()
    if text:
        kept[key] = text
    else:
        kept.pop(key, None)
    st.session_state[_NOTES] = kept
    st.session_state[_NOTICE] = []  # the link's notes are behind us


def editor(key: str) -> None:
    """The field to write the chart's note, in a popover."""
    widget = f"_note_input_{key}"
    st.session_state[widget] = get(key)
    with st.popover(t("note.button"), icon=":material/edit_note:"):
        st.text_input(t("note.label"), key=widget, max_chars=notes.MAX_LENGTH, on_change=_changed, args=(key,),
                      placeholder=t("note.placeholder"), help=t("note.help", n=notes.MAX_LENGTH))


NOTE_CSS = "<style>[class*='st-key-note-'] { border-left: 3px solid #e07a1f; padding-left: .6rem; }</style>"


def show(key: str) -> None:
    """The chart's note under it, as plain text (never Markdown or HTML)."""
    note = get(key)
    if note:
        st.html(NOTE_CSS)
        with st.container(key=f"note-{key}"):
            st.text(t("note.shown", note=note))


def notice() -> None:
    """What of the link's notes was not used (a note on no chart, or cut to the limit),
    until a note is written here."""
    ignored = st.session_state.get(_NOTICE)
    if ignored:
        items = t("common.list_sep").join(t(f"filters.ignored_{i.reason}", param=i.param, value=i.value) for i in ignored)
        st.warning(fmt.md(t("filters.ignored", items=items)), icon=":material/link_off:")
