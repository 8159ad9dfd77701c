"""The sector rates as a print figure (PNG, SVG, PDF), drawn with matplotlib.

Small multiples: one panel per sector with events, in chainage order, bars of
events per month on a shared time axis; a sector that is "more than usual"
(:func:`geo.frontier.sectors.sector_rates`) is drawn in the attack colour and
starred, with its counts and p-values written in the panel. Saved the way the
map snapshots are (:func:`geo.render.snapshot.render`: bundled DejaVu fonts, text kept
as text, no dates or versions in the metadata, so the same data gives the same
bytes).
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from geo.frontier.sectors import WINDOWS, fmt_p
from geo.render.snapshot import INK, MUTED, PAPER, RC, RC_LOCK, font, render, wrap
from geo.render.timeline.style import COLOURS

FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: Most panels drawn; the busiest sectors are kept and the figure says how many are left out.
MAX_PANELS = 24
WIDTH_IN, DPI = 11.69, 200


def _panel_text(r, windows) -> str:
    parts = []
    for w in windows:
        parts.append(f"{w} d: {r[f'n_{w}d']} vs {r[f'expected_{w}d']:.2g} expected, p {fmt_p(r[f'p_{w}d'])}")
    return "\n".join(parts)


def rates_figure(
    rates: pd.DataFrame,
    monthly: pd.DataFrame,
    title: str,
    subtitle: str,
    footer: list[str],
    windows: tuple[int, ...] = WINDOWS,
) -> Figure:
    """Build the small-multiples figure (call inside ``RC_LOCK`` and ``rc_context(RC)``)."""
    active = rates[rates["events"] > 0]
    left_out = 0
    if len(active) > MAX_PANELS:
        keep = active.sort_values(["events", "sector"], ascending=[False, True]).head(MAX_PANELS)
        left_out = len(active) - MAX_PANELS
        active = active[active["sector"].isin(keep["sector"])]
    n = max(len(active), 1)
    cols = min(4, n)
    rows = math.ceil(n / cols)
    foot_lines = [line for text in footer for line in wrap(text, WIDTH_IN * 72 * 0.92, 7.5)]
    head_in, foot_in, row_in = 0.95, 0.25 + 0.13 * len(foot_lines), 1.55
    height = head_in + rows * row_in + foot_in
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor=PAPER)
    fig.text(0.035, 1 - 0.3 / height, title, fontproperties=font(14, "bold"), color=INK, va="center")
    for k, line in enumerate(wrap(subtitle, WIDTH_IN * 72 * 0.92, 8.5)[:2]):
        fig.text(
            0.035, 1 - (0.55 + 0.17 * k) / height, line, fontproperties=font(8.5), color=MUTED, va="center"
        )
    if monthly.empty or active.empty:
        fig.text(
            0.5,
            0.5,
            "No selected event within the corridor",
            fontproperties=font(12),
            color=MUTED,
            ha="center",
        )
    else:
        months = pd.to_datetime(monthly["month"])
        m0, m1 = months.min(), months.max()
        all_months = pd.date_range(m0, m1, freq="MS")
        x_of = {m: i for i, m in enumerate(all_months)}
        y_max = max(1, int(monthly[monthly["sector"].isin(active["sector"])]["events"].max()))
        grid_top = 1 - head_in / height
        grid_h = rows * row_in / height
        for k, r in enumerate(active.itertuples(index=False)):
            rr, cc = divmod(k, cols)
            w_ax, h_ax = 0.93 / cols, grid_h / rows
            ax = fig.add_axes(
                (
                    0.045 + cc * w_ax,
                    grid_top - (rr + 1) * h_ax + 0.42 / height,
                    w_ax - 0.03,
                    h_ax - 0.72 / height,
                )
            )
            part = monthly[monthly["sector"] == r.sector]
            xs = [x_of[pd.Timestamp(m)] for m in part["month"]]
            colour = COLOURS["attack"] if r.more_than_usual else "#8a8a8a"
            ax.bar(xs, part["events"], width=0.8, color=colour)
            ax.set_xlim(-0.7, len(all_months) - 0.3)
            ax.set_ylim(0, y_max * 1.9)  # headroom for the counts written in the panel
            ticks = list(range(0, len(all_months), max(1, len(all_months) // 4)))
            ax.set_xticks(ticks, [f"{all_months[i]:%b %y}" for i in ticks], fontproperties=font(6.5))
            ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, nbins=3))
            for lab in ax.get_yticklabels():
                lab.set_fontproperties(font(6.5))
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            where = f" · {r.landmarks}" if r.landmarks else ""
            star = " ★" if r.more_than_usual else ""
            ax.set_title(
                f"{r.label}{where}{star}\n{r.tj_province} | {r.af_province}",
                fontproperties=font(7.2, "bold" if r.more_than_usual else "regular"),
                color=INK,
                loc="left",
                pad=3,
            )
            ax.text(
                0.02,
                0.97,
                _panel_text(r._asdict(), windows),
                transform=ax.transAxes,
                va="top",
                ha="left",
                fontproperties=font(6),
                color=INK if r.more_than_usual else MUTED,
            )
    if left_out:
        foot_lines.insert(
            0, f"{left_out} quieter sector(s) with events are not drawn (the CSV has every sector)."
        )
    for k, line in enumerate(foot_lines):
        fig.text(
            0.035,
            (0.12 + 0.13 * (len(foot_lines) - 1 - k)) / height,
            line,
            fontproperties=font(7.5),
            color=MUTED,
        )
    return fig


def rates_figure_bytes(
    rates: pd.DataFrame,
    monthly: pd.DataFrame,
    fmt: str,
    title: str,
    subtitle: str,
    footer: list[str],
    windows: tuple[int, ...] = WINDOWS,
) -> bytes:
    """:func:`rates_figure` saved as ``fmt`` (png, svg or pdf) with reproducible metadata."""
    if fmt not in FORMATS:
        raise ValueError(f"figure format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    with RC_LOCK, matplotlib.rc_context(RC):
        fig = rates_figure(rates, monthly, title, subtitle, footer, windows)
        return render(fig, fmt, title=title, subject=subtitle)


def rates_csv_frame(rates: pd.DataFrame, windows: tuple[int, ...] = WINDOWS) -> pd.DataFrame:
    """The sector table as exported (one row per sector, p-values rounded to 6 decimals)."""
    out = rates.copy()
    for w in windows:
        out[f"p_{w}d"] = np.round(out[f"p_{w}d"].astype(float), 6)
    return out.rename(columns={"lo_km": "from_km", "hi_km": "to_km"})
