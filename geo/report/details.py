"""What the details panel says about one event (pure data; ``ui/details.py`` renders it)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.data.load import Bundle
from geo.data.schema import GEO_PRECISION, TIME_PRECISION
from geo.data.statements import claims_about
from geo.report.formatting import fmt_day, fmt_range
from geo.spatial.join import outside_reason
from geo.spatial.uncertainty import row_border_text


@dataclass
class EventDetails:
    """Plain-text facts about one event; every string is unescaped data."""

    event_id: str
    title: str
    date: str
    date_basis: str
    place: str
    place_basis: str
    casualties: str
    casualty_basis: str
    border: str
    notes: str
    claims: pd.DataFrame
    sources: pd.DataFrame


def event_details(bundle: Bundle, event_id: str) -> EventDetails | None:
    """Collect the details of ``event_id``; ``None`` if there is no such event."""
    ev = bundle.events[bundle.events["event_id"] == event_id]
    if ev.empty:
        return None
    e = ev.iloc[0]
    start = pd.Timestamp(e["event_date"])
    prec = int(e["time_precision"])
    if prec == 3 and pd.isna(e["date_end"]):
        date = start.strftime("%B %Y")
    elif pd.notna(e["date_end"]) and e["date_end"] != start:
        date = f"{fmt_day(start)} – {fmt_day(e['date_end'])}"
    else:
        date = fmt_day(start, long=True)
    date += f" (precision {prec}: {TIME_PRECISION[prec]})"
    gp = int(e["geo_precision"])
    if pd.isna(e["latitude"]):
        place = f"{e['location']} — not placed on the map"
    else:
        unc = f", uncertainty ±{float(e['uncertainty_km']):g} km" if pd.notna(e["uncertainty_km"]) else ""
        place = (
            f"{e['location']} — {float(e['latitude']):.4f}°N, {float(e['longitude']):.4f}°E "
            f"(precision {gp}: {GEO_PRECISION[gp]}{unc})"
        )
    casualties = f"killed {fmt_range(e['fatalities'], e['fatalities_high'])}; injured {fmt_range(e['injured'], e['injured_high'])}"
    if e["join_method"] in ("within", "boundary", "nearest"):
        # The range over the uncertainty area leads; the coded point's distance is secondary.
        detail = e.get("border_distance_detail_km", float("nan"))
        border = (
            f"{row_border_text(e, str(e['border_line']))}; "
            f"coded point {float(detail):.1f} km from the detailed WDB-II line; "
            f"joined to {e['join_admin1']} ({e['join_method']})"
        )
        if pd.notna(e["facing_admin1"]):
            border += f"; faces {e['facing_admin1']} across the border"
        if pd.notna(e["admin1_mismatch"]) and bool(e["admin1_mismatch"]):  # a NumPy bool is never `is True`
            # Only the curated records have a curated province; an import has its export's.
            dataset = e.get("dataset", "curated")
            whose = "curated province" if pd.isna(dataset) or dataset == "curated" else "the export's admin1"
            border += f"; NOTE: {whose} is {e['admin1']}"
    elif e["join_method"] == "outside":
        border = f"not joined to a province: {outside_reason(e.get('country'), e['join_distance_km'])}"
    else:
        border = "no coordinates, so no border distance"
    # Every statement linked to this event is shown whole, including its claims on other events.
    claims = claims_about(bundle.claims, bundle.statements, [event_id]).copy()
    src = bundle.sources.set_index("source_id")
    claims["outlet"] = claims["source_id"].map(src["outlet"])
    claims["tier"] = claims["source_id"].map(src["tier"])
    sources = src.loc[list(e["source_ids"]), ["tier", "outlet", "headline", "published", "url"]].reset_index()
    return EventDetails(
        event_id=event_id,
        title=f"{e['location']} — {e['category']}",
        date=date,
        date_basis=str(e["date_basis"]),
        place=place,
        place_basis=str(e["location_basis"]),
        casualties=casualties,
        casualty_basis=str(e["casualty_basis"]),
        border=border,
        notes=str(e["notes"]),
        claims=claims,
        sources=sources,
    )
