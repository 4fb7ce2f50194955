"""``web.folium_map``: the explorer's large map rendered once, sent as ``st_folium`` sends it."""

import json

from streamlit.testing.v1 import AppTest


def _two_maps():
    """The same map through ``st_folium`` and through ``web.folium_map``, each with a selection group."""
    import streamlit as st
    from streamlit_folium import st_folium

    from geo import web
    from geo.maps import MapOptions, build_map, highlight_group, load_map_data

    data = load_map_data(web.store())
    opts = MapOptions()
    st_folium(build_map(data, opts), key="plain", height=620, use_container_width=True,
              returned_objects=["last_clicked"], feature_group_to_add=highlight_group(data.buurten[0]))
    builds = st.session_state.setdefault("builds", [])
    web.folium_map(lambda: builds.append(1) or build_map(data, opts), "test-map", key="cached", height=620,
                   returned_objects=("last_clicked",), feature_group_to_add=highlight_group(data.buurten[0]))


def test_the_browser_gets_what_st_folium_would_send_and_the_map_is_rendered_once(app_env):
    at = AppTest.from_function(_two_maps, default_timeout=60).run()
    assert not at.exception
    plain, cached = (json.loads(el.proto.json_args) for el in at.get("component_instance"))
    assert cached.pop("key") != plain.pop("key")  # the component's identity differs by the page's key
    assert cached == plain  # script, html, header, links, defaults, selection group: identical
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state["builds"] == [1]  # three runs, one render

