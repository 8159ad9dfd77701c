"""Sources and method: the catalogue, how places and dates were coded, the border line, licences."""

import pandas as pd
import streamlit as st

from geo.data.catalogue import catalogue_table
from geo.data.schema import GEO_PRECISION, TIME_PRECISION
from geo.render.briefpack import border_line_agreement
from geo.render.snapshot import DATASETS
from geo.report.provenance import border_length_km
from ui import data

app = data.load_app_data()
b = app.bundle

st.title("Sources and method")

st.subheader("Source catalogue", anchor=False)
st.caption(
    "seed: the five seed documents the project is built from; related: other public reporting, "
    "not verified against the seeds. 'missing' says which of outlet, headline and date the "
    "catalogue does not have, and why; 'supports' lists the events each source backs."
)
# A dataframe shows text as text (no Markdown, no HTML), so catalogue values need no escaping here.
catalogue = catalogue_table(b.sources)
st.dataframe(catalogue, hide_index=True, key="sources-catalogue")

st.subheader("How places and dates were coded", anchor=False)
c1, c2 = st.columns(2)
with c1:
    st.markdown("**Place precision** (ACLED `geo_precision`)")
    ev = b.events
    placed = ev[ev["latitude"].notna()]
    radii = placed.groupby(placed["geo_precision"].astype(int))["uncertainty_km"].agg(
        lambda s: ", ".join(f"{v:g}" for v in sorted(set(s.dropna().astype(float))))
    )
    st.dataframe(
        pd.DataFrame(
            {
                "code": list(GEO_PRECISION),
                "meaning": list(GEO_PRECISION.values()),
                "events": [int((ev["geo_precision"] == k).sum()) for k in GEO_PRECISION],
                "uncertainty radii used (km)": [radii.get(k, "") for k in GEO_PRECISION],
            }
        ),
        hide_index=True,
    )
    st.markdown(
        "An estimated location is drawn at the place it is coded to, with a circle of its uncertainty "
        "radius (true kilometres on the ground). Events without an honest single coordinate are kept in "
        "the tables and exports but not drawn."
    )
with c2:
    st.markdown("**Date precision** (ACLED `time_precision`)")
    st.dataframe(
        pd.DataFrame(
            {
                "code": list(TIME_PRECISION),
                "meaning": list(TIME_PRECISION.values()),
                "events": [int((b.events["time_precision"] == k).sum()) for k in TIME_PRECISION],
            }
        ),
        hide_index=True,
    )
    st.markdown(
        "A month-only event spans its whole month when filtering by date; a stated range spans the range. "
        "Casualty figures are kept low–high where sources differ."
    )

st.markdown("**Basis of each coordinate** (from the records)")
bases = (
    b.events.assign(placed=b.events["latitude"].notna())
    .groupby(["location_basis", "placed"], dropna=False)
    .agg(events=("event_id", "count"))
    .reset_index()
    .sort_values("events", ascending=False)
)
st.dataframe(bases, hide_index=True)

st.subheader("The border line", anchor=False)
a = border_line_agreement(b)
# Lengths on the ellipsoid, as the map caveats give them (geo.report.provenance); the gaps are planar (UTM 42N).
ne_km, wdbii_km = border_length_km(b.border), border_length_km(b.border_detail)
st.markdown(
    f"Distances to the border are geodesic (WGS84 ellipsoid), measured to the **Natural Earth 1:10M** "
    f"admin-1 line. That line is **{ne_km:,.1f} km** long on the ellipsoid, against the published **~1,350 km**, "
    f"because 1:10M generalisation cuts the Panj's meanders: distances to it are approximate at the "
    f"kilometre level. The detailed **GSHHG / WDB-II** line ({wdbii_km:,.0f} km) lies a median "
    f"{a['median_gap_km']:.1f} km and at most {a['max_gap_km']:.1f} km from it (near {a['max_gap_lon']:.1f}°E); "
    f"each event's distance to it is given alongside in its details. Maps are drawn in Web Mercator "
    f"(EPSG:3857); areas and distances are computed in UTM 42N (EPSG:32642) or on the ellipsoid, never in degrees."
)

st.subheader("Licences", anchor=False)
st.dataframe(pd.DataFrame(list(DATASETS)), hide_index=True, key="sources-licences")
