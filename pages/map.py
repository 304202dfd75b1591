"""Map: provinces shaded by money or number of activities, cities, project places.
Drawn from the bundled boundaries with no basemap, so it works with no internet."""
from mekong import entry

entry.ensure()

import streamlit as st

from mekong import map_data, map_widgets, maps
from mekong.panels import flow_label
from mekong.ui import filters, lang, query, t
from mekong.widgets import empty_state, gaps

HEIGHT = 800  # the map and the panel beside it fit under the title on a 1920x1080 projector

st.title(t("map.title"))
st.caption(t("map.intro"))
if empty_state():
    st.stop()

left, right = st.columns([3, 2], gap="medium")
with right:
    options, flow = map_widgets.controls(list(query("funding_flows")["flow"]))
with left:
    map_box = st.container()
    boundaries, user_file = map_widgets.boundaries()
data = map_data.collect(query, flow, boundaries)
deck, legend = maps.build_deck(data, boundaries, map_widgets.country_outlines(), options, t, filters().currency, lang(),
                               flow_label(t, flow), view=maps.initial_view(width=900, height=HEIGHT))
with map_box:
    st.pydeck_chart(deck, height=HEIGHT, key="map_deck", on_select=map_widgets.on_deck_select,
                    selection_mode="single-object")
    credit = t("map.credit_user", name=user_file) if user_file else t("map.credit")
    st.caption(credit + (" " + t("map.credit_basemap") if options.basemap else ""))
with right:
    map_widgets.legend(legend)
    st.caption(t("map.rule"))
    map_widgets.projects_of_place(data)
    map_widgets.national(data)
    map_widgets.undrawn(data)
    if options.metric == maps.MONEY:
        gaps(flow)

map_widgets.unplaced(data)
if "cities" in options.layers:
    st.caption(t("map.cities_rule"))
