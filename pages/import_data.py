"""Import data: an analyst's ACLED or UCDP GED export into the local store; list and delete datasets."""

from functools import partial

import streamlit as st

from geo.data.bundle import OUTSIDE_METHODS, dataset_counts, outside_events
from geo.data.importers.common import NotCSVError
from geo.data.importers.containers import sheet_names
from geo.data.importers.pipeline import FORMATS, import_file
from geo.data.store import Store, StoreError, store_dir
from geo.data.store_files import FLAGGED
from geo.data.store_names import suggest_name
from geo.export.tables import to_csv_bytes
from geo.report.text import md_escape
from ui import data

FORMAT_LABELS = {"acled": "ACLED export", "ucdp": "UCDP GED"}
#: What the importers read: CSV (also as .txt), Excel workbooks, a .zip holding one export, gzip.
UPLOAD_TYPES = ["csv", "txt", "xlsx", "xls", "zip", "gz"]
K_OUTCOME = "import-last-outcome"
MAX_MB = int(st.get_option("server.maxUploadSize"))
#: The upload limit also bounds what an archive or workbook unpacks to (geo.data.importers.containers).
MAX_BYTES = MAX_MB * 1024 * 1024

store = Store(store_dir())
st.title("Import data")
st.caption(
    "Bring your own ACLED or UCDP GED export: its events join the curated ones on every page, with the "
    "same filters and exports, labelled by dataset. Bad rows are listed with their row numbers and the "
    "rest still load; nothing already loaded is touched. CSV, Excel workbook (.xlsx, .xls), or a .zip "
    f"or .gz holding one export; up to {MAX_MB} MB here, unpacked too; larger ones with "
    "`panjwatch import --format acled FILE`."
)

upload = st.file_uploader("Export file", type=UPLOAD_TYPES, key="import-file", max_upload_size=MAX_MB)
# The upload itself (a stream), not getvalue(): a CSV then costs a 4-byte read, not a copy.
sheets = sheet_names(upload, max_bytes=MAX_BYTES) if upload is not None else None
sheet = None
if sheets and len(sheets) > 1:
    sheet = st.selectbox(
        "Sheet",
        sheets,
        key=f"import-sheet-{upload.file_id}",
        help="The workbook's sheet that holds the events (as `panjwatch import --sheet`).",
    )
elif sheets:
    st.caption(md_escape(f"Workbook with one sheet: {sheets[0]}"))
c1, c2 = st.columns([2, 3])
with c1:
    fmt = st.radio("Format", FORMATS, format_func=FORMAT_LABELS.get, horizontal=True, key="import-format")
with c2:
    suggested = suggest_name(upload.name) if upload is not None else ""
    name = st.text_input(
        "Dataset name",
        value=suggested,
        key=f"import-name-{upload.file_id if upload is not None else 'none'}",
        help="Lower-case letters, digits, '-' and '_'; it prefixes the event ids.",
    )
replace = st.checkbox("Replace the dataset of this name if it exists", key="import-replace")

if st.button("Import", type="primary", disabled=upload is None, key="import-go"):
    bar = st.progress(0.0, text="starting")
    try:
        outcome = import_file(
            upload.getvalue(),
            fmt,
            name.strip(),
            store=store,
            data_dir=data.data_dir(),
            replace=replace,
            name=upload.name,
            progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m),
            sheet=sheet,
            max_bytes=MAX_BYTES,
        )
    except (NotCSVError, StoreError) as exc:  # StoreError covers a read-only store and a full disk
        bar.empty()
        st.session_state.pop(K_OUTCOME, None)
        st.error(md_escape(str(exc)))
    else:
        st.session_state[K_OUTCOME] = outcome

outcome = st.session_state.get(K_OUTCOME)
if outcome is not None:
    (st.success if outcome.info is not None else st.error)(md_escape(outcome.summary()))
    m1, m2, m3, m4, m5 = st.columns(5)
    m1.metric("Rows read", f"{outcome.rows_read:,}")
    m2.metric("Events imported", f"{outcome.loaded:,}")
    m3.metric("Rows rejected", f"{outcome.rejected_rows:,}")
    m4.metric("Imported, flagged", f"{outcome.flagged_rows:,}", help="Kept with a warning, not rejected")
    m5.metric(
        "Possible duplicates",
        f"{outcome.duplicates['event_id'].nunique() if not outcome.duplicates.empty else 0:,}",
    )
    if outcome.join_counts:
        st.caption(
            "Joined to provinces: "
            + md_escape(", ".join(f"{n:,} {k}" for k, n in sorted(outcome.join_counts.items())))
        )
    if not outcome.rejects.empty:
        st.subheader("Rejected rows", anchor=False)
        st.dataframe(
            outcome.rejects,
            hide_index=True,
            key="import-rejects",
            column_config={"row": st.column_config.NumberColumn("row", format="%d")},
        )
        st.download_button(
            "Rejection report (CSV)",
            data=partial(to_csv_bytes, outcome.rejects),
            file_name=f"{outcome.dataset}-rejected-rows.csv",
            mime="text/csv",
            key="import-rejects-dl",
            on_click="ignore",
        )
    if not outcome.flags.empty:
        st.subheader("Rows imported and flagged (kept, not rejected)", anchor=False)
        st.dataframe(
            outcome.flags,
            hide_index=True,
            key="import-flags",
            column_config={"row": st.column_config.NumberColumn("row", format="%d")},
        )
    if not outcome.duplicates.empty:
        st.subheader("Possible duplicates of events already loaded", anchor=False)
        st.dataframe(outcome.duplicates, hide_index=True, key="import-duplicates")
    if outcome.info is not None:
        st.page_link(
            "pages/regional_map.py", label="See the events on the regional map", icon=":material/map:"
        )

st.divider()
st.subheader("Imported datasets", anchor=False)
app = data.load_app_data()
events = app.bundle.events
root_problem = store.root_problem()
if root_problem:
    st.error(md_escape(root_problem))
entries = store.listing()
# Set aside: the file cannot be read (listing) or its rows cannot be loaded or merged (bundle notices).
set_aside = {e.name: e.problem for e in entries if e.problem}
for e in entries:
    if e.info is not None:
        for line in app.notices:
            if line.startswith(f"dataset {e.name} "):
                set_aside[e.name] = line.split(": ", 1)[-1]
if not entries:
    st.info("No imported datasets yet: the pages show the curated events only.")
else:
    rows = []
    for e in entries:
        if e.info is None:
            rows.append({"dataset": e.name, "status": "set aside", "source file": "", "events": None})
            continue
        counts = dataset_counts(events, e.name)
        rows.append(
            {
                **e.info.as_row(),
                "status": "set aside" if e.name in set_aside else "shown",
                "rows read": e.info.rows + e.info.rejected,
                "within provinces": counts["within"],
                "nearest province": counts["nearest"],
                "outside the shapes": counts["outside"],
            }
        )
    st.dataframe(rows, hide_index=True, key="import-datasets")
    for name, problem in set_aside.items():
        st.warning(
            md_escape(
                f"Dataset {name} is set aside (not on any page): {problem}. Delete it and import the source file again."
            )
        )
    d1, d2, d3 = st.columns([2, 2, 1])
    with d1:
        chosen = st.selectbox("Dataset", [e.name for e in entries], key="import-chosen")
    with d2:
        confirm = st.checkbox("Yes, delete it from the store", key="import-confirm-delete")
    with d3:
        if st.button("Delete", disabled=not confirm, key="import-delete"):
            try:
                store.delete(chosen)
            except StoreError as exc:
                st.error(md_escape(str(exc)))
            else:
                st.session_state.pop(K_OUTCOME, None)
                st.session_state.pop("import-confirm-delete", None)
                st.rerun()
    entry = next(e for e in entries if e.name == chosen)
    if entry.info is not None and chosen not in set_aside:
        counts = dataset_counts(events, chosen)
        k1, k2, k3, k4, k5, k6 = st.columns(6)
        k1.metric("Rows read", f"{entry.info.rows + entry.info.rejected:,}")
        k2.metric("Imported", f"{entry.info.rows:,}")
        k3.metric("Rejected", f"{entry.info.rejected:,}")
        k4.metric("Within provinces", f"{counts['within']:,}")
        k5.metric("Nearest province", f"{counts['nearest']:,}")
        k6.metric("Outside the shapes", f"{counts['outside']:,}")
        outside = outside_events(events, chosen)
        if not outside.empty:
            cols = [
                c
                for c in (
                    "event_id",
                    "event_date",
                    "country",
                    "admin1",
                    "location",
                    "latitude",
                    "longitude",
                    "join_method",
                    "event_type",
                    "fatalities",
                )
                if c in outside
            ]
            with st.expander(
                f"{len(outside):,} event(s) of {chosen} outside the shipped provinces "
                f"({', '.join(OUTSIDE_METHODS)}): on no province, beyond the map region"
            ):
                st.dataframe(outside[cols].head(5000), hide_index=True, key="import-outside")
                st.download_button(
                    "Outside events (CSV)",
                    data=lambda: to_csv_bytes(outside[cols]),
                    file_name=f"{chosen}-outside-events.csv",
                    mime="text/csv",
                    key="import-outside-dl",
                    on_click="ignore",
                )
    try:
        kept = store.rejects(chosen)
    except StoreError as exc:
        st.warning(md_escape(f"{exc}; the dataset itself is not affected."))
    else:
        flagged = kept[kept["status"] == FLAGGED]
        kept = kept[kept["status"] != FLAGGED]
        if not kept.empty:
            reasons = kept["problem"].value_counts()
            with st.expander(f"Rows rejected when {chosen} was imported ({kept['row'].nunique():,})"):
                st.caption(
                    "Reasons: " + md_escape("; ".join(f"{n:,} × {p}" for p, n in reasons.head(10).items()))
                )
                st.dataframe(kept, hide_index=True, key="import-kept-rejects")
        if not flagged.empty:
            with st.expander(
                f"Rows of {chosen} imported and flagged (kept, not rejected) ({flagged['row'].nunique():,})"
            ):
                st.dataframe(flagged, hide_index=True, key="import-kept-flags")
st.caption(f"Store folder: {md_escape(str(store.root))} (set PANJWATCH_STORE to use another).")
