"""Map: provinces shaded by money or number of activities, cities, project places.
Drawn from the bundled boundaries with no basemap, so it works with no internet."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app import box_size, chart_notes, map_page
from mekong.app.ui import filters, lang, query, t
from mekong.app.widgets import empty_state, filter_line, gaps, presenting
from mekong.views import fmt, map_data, maps
from mekong.views.panels import flow_label


def main() -> None:
    if not presenting():
        st.title(t("map.title"))
        filter_line()
        st.caption(t("map.intro"))
    if empty_state():
        return
    # the map framed for the room it has on this screen (map_page.page_layout)
    shares, width, height = map_page.page_layout(box_size.size())
    left, right = st.columns(shares, gap="medium") if not presenting() else (st.container(), st.container())
    with right:
        options, flow = map_page.controls(list(query("funding_flows")["flow"]), show=not presenting())
    with left:
        map_box = st.container()
        boundaries, user_file = map_page.boundaries(show=not presenting())
    data = map_data.collect(query, flow, boundaries)
    if presenting():  # the five countries whole on the screen, the names large enough to read across a room
        view, label_scale = map_page.present_view()
    else:
        # one country chosen in the filters: the map is framed on it
        countries = filters().country
        bounds = maps.country_bounds(map_page.country_outlines(), countries[0]) if len(countries) == 1 else None
        view, label_scale = maps.initial_view(width=width, height=height, padding=map_page.MAP_PADDING,
                                              **({"bounds": bounds} if bounds else {})), 1.0
    deck, legend = maps.build_deck(data, boundaries, map_page.country_outlines(), options, t, filters().currency,
                                   lang(), flow_label(t, flow), view=view, label_scale=label_scale,
                                   selected=st.session_state.get("map_place"))
    credit = t("map.credit_user", name=user_file) if user_file else t("map.credit")
    credit += " " + t("map.credit_basemap") if options.basemap else ""
    if presenting():
        map_page.present(deck, legend, data, options, flow, credit)
        return
    with map_box:
        st.pydeck_chart(deck, height=height, key="map_deck", on_select=map_page.on_deck_select,
                        selection_mode="single-object")
        st.caption(fmt.md(credit))
        chart_notes.show("map")
        not_drawn = maps.points_not_drawn(data)
        if not_drawn:
            st.caption(t("map.points_capped", shown=fmt.number(map_data.MAX_POINTS, lang()),
                         n=fmt.number(not_drawn, lang())))
    with right:
        chart_notes.editor("map")
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
    box_size.listen()


main()
