"""Map: provinces shaded by money or number of activities, cities, project places.
Drawn from the bundled boundaries with no basemap, so it works with no internet."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app import map_page
from mekong.app.ui import filters, lang, query, t
from mekong.app.widgets import empty_state, gaps, presenting
from mekong.views import fmt, map_data, maps
from mekong.views.panels import flow_label

HEIGHT = 800  # the map and the panel beside it fit under the title on a 1920x1080 projector
# In presentation mode the map takes the screen's height, which the server does not know:
# the view shows where the activities are in about 480 pixels (1280x720 leaves ~450).
PRESENT_SIZE = (1150, 480)


def main() -> None:
    if not presenting():
        st.title(t("map.title"))
        st.caption(t("map.intro"))
    if empty_state():
        return
    left, right = st.columns([3, 2], gap="medium") if not presenting() else (st.container(), st.container())
    with right:
        options, flow = map_page.controls(list(query("funding_flows")["flow"]), show=not presenting())
    with left:
        map_box = st.container()
        boundaries, user_file = map_page.boundaries(show=not presenting())
    data = map_data.collect(query, flow, boundaries)
    view = (maps.initial_view(*PRESENT_SIZE, bounds=maps.data_bounds(data, boundaries)) if presenting()
            else maps.initial_view(width=900, height=HEIGHT))
    deck, legend = maps.build_deck(data, boundaries, map_page.country_outlines(), options, t, filters().currency,
                                   lang(), flow_label(t, flow), view=view)
    credit = t("map.credit_user", name=user_file) if user_file else t("map.credit")
    credit += " " + t("map.credit_basemap") if options.basemap else ""
    if presenting():
        map_page.present(deck, legend, data, options, flow, credit)
        return
    with map_box:
        st.pydeck_chart(deck, height=HEIGHT, key="map_deck", on_select=map_page.on_deck_select,
                        selection_mode="single-object")
        st.caption(credit)
        not_drawn = maps.points_not_drawn(data)
        if not_drawn:
            st.caption(t("map.points_capped", shown=fmt.number(maps.MAX_POINTS, lang()),
                         more=fmt.number(not_drawn, lang())))
    with right:
        map_page.legend(legend)
        st.caption(t("map.rule"))
        map_page.projects_of_place(data)
        map_page.national(data)
        map_page.undrawn(data)
        if options.metric == maps.MONEY:
            gaps(flow)
    map_page.unplaced(data)
    if "cities" in options.layers:
        st.caption(t("map.cities_rule"))


main()
