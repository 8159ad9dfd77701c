"""The local store, the import pipeline and CLI, duplicates across datasets, merging into the bundle."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.cli.main import main
from geo.data.bundle import merge_into_bundle
from geo.data.duplicates import find_duplicates
from geo.data.importers import NotCSVError, import_file, read_acled
from geo.data.importers.enrichment import enrich_imported
from geo.data.importers.roles import event_roles
from geo.data.paths import DATA_DIR, REPO_ROOT
from geo.data.store import Store, StoreError
from geo.data.store_names import check_name, suggest_name

FIX = REPO_ROOT / "tests" / "fixtures"


def _vals(s: pd.Series) -> list:
    """Values with every kind of missing as None, so NaN compares equal to NaN."""
    return s.astype(object).where(s.notna(), None).tolist()


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "store")


def test_round_trip_keeps_values_and_dtypes(store):
    outcome = import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    assert outcome.info is not None and outcome.loaded == 6
    back = store.read("mine")
    imported = read_acled(FIX / "acled_current.csv", dataset="mine").events
    # Stored sorted as the pages show events: by date, then id.
    assert list(back["event_id"]) == list(imported.sort_values(["event_date", "event_id"])["event_id"])
    imported = imported.set_index("event_id", drop=False).loc[list(back["event_id"])].reset_index(drop=True)
    for col in (
        "event_date",
        "fatalities",
        "latitude",
        "category",
        "actor1",
        "notes",
        "source_row",
        "inter1",
        "actor1_acled",
        "actor2_acled",
        "interaction",
        "civilian_targeting",
    ):
        assert _vals(back[col]) == _vals(imported[col]), col
        assert str(back[col].dtype) == str(imported[col].dtype), col
    assert back.crs.to_epsg() == 4326
    assert (back.geometry.x == back["longitude"].astype(float)).all()
    assert set(back["source_ids"]) == {()}
    for col in ("join_method", "border_distance_km", "facing_admin1", "admin1_mismatch"):
        assert col in back
    info = store.info("mine")
    assert (info.fmt, info.rows, info.rejected, info.source_name) == ("acled", 6, 0, "acled_current.csv")
    assert len(info.source_sha256) == 64 and info.shapes_version


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("acled-afg", True),
        ("a", True),
        ("ucdp_2024", True),
        ("curated", False),
        ("", False),
        ("Bad Name", False),
        ("../x", False),
        ("-x", False),
        ("x" * 41, False),
        ("é", False),
    ],
)
def test_dataset_names(name, ok):
    if ok:
        assert check_name(name) == name
    else:
        with pytest.raises(StoreError):
            check_name(name)


@pytest.mark.parametrize(
    ("filename", "want"),
    [
        ("ACLED Afghanistan 2024.csv", "acled-afghanistan-2024"),
        ("curated.csv", "curated-import"),
        ("!!!.csv", "dataset"),
    ],
)
def test_suggested_names_are_valid(filename, want):
    assert suggest_name(filename) == want
    check_name(want)


def test_existing_dataset_is_not_overwritten_unless_asked(store):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    before = store.path("mine").read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        import_file(FIX / "acled_2019.csv", "acled", "mine", store=store)
    assert store.path("mine").read_bytes() == before
    outcome = import_file(FIX / "acled_2019.csv", "acled", "mine", store=store, replace=True)
    assert outcome.loaded == 3 and store.info("mine").rows == 3


def test_broken_file_loses_nothing_already_loaded(store):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    stamp = store.stamp()
    with pytest.raises(NotCSVError):
        import_file(b"\x89PNG\r\n\x1a\n", "acled", "mine", store=store, replace=True)
    everything_bad = (FIX / "acled_bad_rows.csv").read_text().splitlines()
    only_bad = "\n".join([everything_bad[0], everything_bad[2], everything_bad[3]]) + "\n"
    outcome = import_file(only_bad.encode(), "acled", "mine", store=store, replace=True)
    assert outcome.info is None and outcome.loaded == 0 and outcome.rejected_rows == 2
    assert "store is unchanged" in outcome.summary()
    assert store.stamp() == stamp and store.info("mine").rows == 6


def test_rejection_report_is_kept(store):
    outcome = import_file(FIX / "acled_bad_rows.csv", "acled", "broken", store=store)
    kept = store.rejects("broken")
    assert outcome.loaded == 2
    assert kept[["row", "field"]].values.tolist() == outcome.rejects[["row", "field"]].values.tolist()
    assert store.info("broken").rejected == outcome.rejected_rows == 12


def test_delete(store):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    store.delete("mine")
    assert store.datasets() == [] and not store.rejects_path("mine").exists()
    with pytest.raises(StoreError):
        store.delete("mine")


def test_unreadable_file_in_store_is_reported_not_fatal(store):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    (store.root / "junk.parquet").write_bytes(b"not parquet")
    assert [i.name for i in store.datasets()] == ["mine"]
    (problem,) = store.problems()
    # Named, with the cause (the message used to say only "not a readable Panj Watch dataset").
    assert problem.startswith("dataset junk (junk.parquet) is set aside: not a readable Parquet file")


def test_same_export_twice_is_a_duplicate(store):
    import_file(FIX / "acled_current.csv", "acled", "first", store=store)
    outcome = import_file(FIX / "acled_current.csv", "acled", "second", store=store)
    dups = outcome.duplicates
    assert set(dups["kind"]) == {"same source record"}
    assert len(dups) == 6 and set(dups["other_dataset"]) == {"first"}
    assert (
        dict(zip(dups["event_id"], dups["other_event_id"], strict=True))["second:AFG70001"]
        == "first:AFG70001"
    )
    assert store.info("second").duplicates == 6


@pytest.mark.parametrize(
    ("other", "new", "kind"),
    [
        # ACLED and UCDP code one battle: same day, same place to ~1 km, both violent.
        (
            {
                "event_id": "a:X1",
                "event_date": "2021-07-05",
                "latitude": 36.7281,
                "longitude": 68.8679,
                "category": "clash",
            },
            {
                "event_id": "u:1",
                "event_date": "2021-07-05",
                "latitude": 36.7279,
                "longitude": 68.8681,
                "category": "attack",
            },
            "same day and place",
        ),
        (
            {
                "event_id": "a:X1",
                "event_date": "2021-07-05",
                "latitude": 36.73,
                "longitude": 68.87,
                "category": "clash",
            },
            {
                "event_id": "u:1",
                "event_date": "2021-07-06",
                "latitude": 36.73,
                "longitude": 68.87,
                "category": "clash",
            },
            None,
        ),
        (
            {
                "event_id": "a:X1",
                "event_date": "2021-07-05",
                "latitude": 36.73,
                "longitude": 68.87,
                "category": "protest",
            },
            {
                "event_id": "u:1",
                "event_date": "2021-07-05",
                "latitude": 36.73,
                "longitude": 68.87,
                "category": "clash",
            },
            None,
        ),
        (
            {
                "event_id": "a:X1",
                "event_date": "2021-07-05",
                "latitude": 36.73,
                "longitude": 68.87,
                "category": "clash",
            },
            {
                "event_id": "u:1",
                "event_date": "2021-07-05",
                "latitude": 36.83,
                "longitude": 68.87,
                "category": "clash",
            },
            None,
        ),
    ],
)
def test_duplicates_across_formats(other, new, kind):
    others = pd.DataFrame([{**other, "dataset": "a", "fmt": "acled"}])
    found = find_duplicates(pd.DataFrame([new]), "ucdp", others)
    assert (found["kind"].tolist() or [None]) == [kind]


def test_duplicate_of_a_curated_event(store):
    curated = pd.read_csv(DATA_DIR / "events.csv").dropna(subset=["latitude"]).iloc[0]
    head = "event_id_cnty,event_date,time_precision,event_type,actor1,country,location,latitude,longitude,geo_precision,fatalities"
    etype = {"attack": "Violence against civilians", "clash": "Battles"}.get(
        curated["category"], "Strategic developments"
    )
    line = f"TJK9,{curated['event_date']},1,{etype},X,Tajikistan,L,{curated['latitude']},{curated['longitude']},1,0"
    outcome = import_file(f"{head}\n{line}\n".encode(), "acled", "mine", store=store)
    assert outcome.duplicates[["other_dataset", "other_event_id"]].values.tolist() == [
        ["curated", curated["event_id"]]
    ]


def test_merge_keeps_curated_records_and_adds_imported(store, bundle):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    import_file(FIX / "ucdp_ged.csv", "ucdp", "ged", store=store)
    merged = merge_into_bundle(bundle, store)
    ev = merged.events
    assert len(ev) == len(bundle.events) + 6 + 7
    cur = ev[ev["dataset"] == "curated"].reset_index(drop=True)
    for col in bundle.events.columns:
        if col != "geometry":
            assert _vals(cur[col]) == _vals(bundle.events[col].reset_index(drop=True)), col
    assert set(ev["dataset"]) == {"curated", "mine", "ged"}
    assert ev["event_id"].is_unique and ev.index.equals(pd.RangeIndex(len(ev)))
    assert merged.version.startswith(bundle.version + "-store-")
    roles = merged.roles
    assert {"Taleban", "Taliban", "Protesters (Tajikistan)"} <= set(roles["actor"])
    assert set(roles[roles["event_id"] == "ged:1003"]["role"]) == {"attacker", "victim"}
    assert len(merged.claims) == len(bundle.claims)


def test_merge_with_empty_store_changes_nothing_but_the_dataset_column(store, bundle):
    merged = merge_into_bundle(bundle, store)
    assert merged.version == bundle.version and len(merged.events) == len(bundle.events)
    assert set(merged.events["dataset"]) == {"curated"}


def test_fast_roles_equal_actor_roles():
    from geo.data.actors import actor_roles

    ev = read_acled(FIX / "acled_current.csv", dataset="t").events
    ev = pd.concat([ev, read_acled(FIX / "acled_pre2019.csv", dataset="p").events], ignore_index=True)
    empty = pd.DataFrame(columns=["event_id", "speaker", "stance", "about"])
    slow = actor_roles(ev, empty)
    fast = event_roles(ev)
    key = ["event_id", "actor", "role"]
    assert sorted(map(tuple, fast[key].astype(str).values)) == sorted(
        map(tuple, slow[key].astype(str).values)
    )


def test_enrichment_per_place_equals_enrich_events(bundle):
    """Deduplicated enrichment must give exactly what enrich_events gives row by row."""
    from geo.data.synth import acled_frame
    from geo.spatial.enrich import enrich_events

    csv = acled_frame(400, seed=3, n_places=30).to_csv(index=False).encode()
    ev = read_acled(csv, dataset="s").events
    # Third-country points outside every province are part of the sample on purpose.
    assert (~ev["country"].isin(["Afghanistan", "Tajikistan"])).any()
    fast = enrich_imported(ev, bundle.admin1, bundle.border, bundle.border_detail)
    slow = enrich_events(
        ev.assign(admin1=ev["admin1"].astype(str), country=ev["country"].astype(str)),
        bundle.admin1,
        bundle.border,
        bundle.border_detail,
    )
    for col in (
        "join_admin1",
        "join_method",
        "join_distance_km",
        "admin1_mismatch",
        "border_distance_km",
        "border_distance_detail_km",
        "facing_admin1",
    ):
        assert _vals(fast[col]) == _vals(slow[col]), col
    # A point in a third country, not in a Tajik or Afghan province, faces nothing.
    third = (
        ~ev["country"].isin(["Afghanistan", "Tajikistan"]).to_numpy()
        & ~fast["join_country"].isin(["TJ", "AF"]).to_numpy()
    )
    assert third.any() and fast["facing_admin1"][third].isna().all()


@pytest.mark.parametrize(
    ("args", "code", "out_words", "err_words"),
    [
        (
            ["--format", "acled", "{fix}/acled_current.csv", "--dataset", "cli"],
            0,
            "6 event(s) imported",
            "done",
        ),
        (["--format", "acled", "{fix}/acled_bad_rows.csv", "--dataset", "cli"], 0, "row 3: (line)", "done"),
        (["--format", "ucdp", "{fix}/acled_current.csv", "--dataset", "cli"], 1, "", "looks like an ACLED"),
        (["--format", "acled", "{fix}/nope.csv"], 2, "", "no such file"),
        (["--format", "acled", "{fix}/acled_current.csv", "--dataset", "Bad Name"], 2, "", "not allowed"),
        (["--format", "acled", "{fix}/acled_current.csv", "--dataset", "curated"], 2, "", "reserved"),
    ],
)
def test_cli_import(tmp_path, capsys, args, code, out_words, err_words):
    argv = ["import", *[a.format(fix=FIX) for a in args], "--store", str(tmp_path / "s")]
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert out_words in out
    assert err_words in err


def test_cli_import_twice_and_datasets(tmp_path, capsys):
    st = str(tmp_path / "s")
    assert main(["import", "--format", "acled", str(FIX / "acled_current.csv"), "--store", st, "-q"]) == 0
    assert main(["import", "--format", "acled", str(FIX / "acled_current.csv"), "--store", st, "-q"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["datasets", "--store", st]) == 0
    assert "acled_current\tacled\t6 events" in capsys.readouterr().out
    assert main(["datasets", "--store", st, "--delete", "acled_current"]) == 0
    assert main(["datasets", "--store", st, "--delete", "acled_current"]) == 2


def test_store_env_variable(tmp_path, monkeypatch):
    from geo.data.store import store_dir

    monkeypatch.setenv("PANJWATCH_STORE", str(tmp_path / "elsewhere"))
    assert store_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("PANJWATCH_STORE")
    assert store_dir() == REPO_ROOT / "local" / "store"


def test_store_is_git_ignored():
    assert "/local/" in (REPO_ROOT / ".gitignore").read_text().split()


def test_version_changes_with_content(store):
    assert store.version() == ""
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    v1 = store.version()
    import_file(FIX / "acled_2019.csv", "acled", "mine", store=store, replace=True)
    assert store.version() not in ("", v1)
    assert np.all([len(v1) == 12])


def test_import_report_tolerates_missing_admin1():
    """An export row without admin1 has no mismatch flag (NA): it is neither noted nor a crash."""
    from geo.data.bundle import imported_report

    events = pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "dataset": ["x", "x", "x"],
            "join_method": ["within", "within", "outside"],
            "join_distance_km": [0.0, 0.0, 52.0],
            "admin1": [None, "Kunduz", "Balkh"],
            "join_admin1": ["Takhar", "Takhar", None],
            "admin1_mismatch": pd.array([pd.NA, True, pd.NA], dtype="boolean"),
            "location_basis": ["", "", ""],
        }
    )
    lines = imported_report(events)
    # Wording of geo.spatial.enrich.join_report since fdbc8a1 (imported data is never called "curated").
    assert any(line.startswith("b: the export's admin1 is 'Kunduz'") for line in lines)
    assert any(line.startswith("c: not joined") and "52 km" in line for line in lines)
    assert not any(line.startswith("a:") for line in lines)


def test_flagged_rows_are_stored_and_listed_as_flagged_not_rejected(store, tmp_path, capsys):
    # ucdp_bad_rows.csv row 5 publishes low 5 > best 2: imported, and listed as flagged.
    outcome = import_file(FIX / "ucdp_bad_rows.csv", "ucdp", "cand", store=store)
    assert outcome.flagged_rows == 1 and 5 not in set(outcome.rejects["row"])
    assert "1 row(s) imported and flagged (kept, not rejected)" in outcome.headline()
    assert "cand:2004" in set(store.read("cand")["event_id"])
    kept = store.rejects("cand")
    assert set(kept["status"]) == {"rejected", "kept, flagged"}
    flagged = kept[kept["status"] == "kept, flagged"]
    assert flagged["row"].tolist() == [5] and "low 5 > best 2" in flagged.iloc[0]["problem"]
    rejected = kept[kept["status"] == "rejected"]
    assert rejected[["row", "field"]].values.tolist() == outcome.rejects[["row", "field"]].values.tolist()
    info = store.info("cand")
    assert (info.rejected, info.flagged) == (outcome.rejected_rows, 1)
    assert info.as_row()["flagged rows (kept)"] == 1

    st = str(tmp_path / "cli")
    assert main(["import", "--format", "ucdp", str(FIX / "ucdp_bad_rows.csv"), "--store", st, "-q"]) == 0
    out = capsys.readouterr().out
    assert "1 row(s) imported and flagged (kept, not rejected):\n  row 5: best '2'" in out
    assert "with status 'kept, flagged'" in out


def test_report_written_before_flags_reads_as_rejected(store):
    import_file(FIX / "acled_bad_rows.csv", "acled", "old", store=store)
    p = store.rejects_path("old")
    frame = pd.read_csv(p, dtype=str, keep_default_na=False).drop(columns=["status"])
    p.write_text(frame.to_csv(index=False), encoding="utf-8")
    assert set(store.rejects("old")["status"]) == {"rejected"}


@pytest.mark.parametrize(
    ("filename", "want"),
    [
        ("acled.csv.gz", "acled"),
        ("gedevents-2025-05-06.zip", "gedevents-2025-05-06"),
        ("ACLED 2024.xlsx", "acled-2024"),
    ],
)
def test_suggested_names_of_wrapped_files(filename, want):
    assert suggest_name(filename) == want


def test_stored_ucdp_keeps_acled_coding_missing_and_merges_with_acled(store, bundle):
    import_file(FIX / "acled_current.csv", "acled", "a", store=store)
    import_file(FIX / "ucdp_ged.csv", "ucdp", "u", store=store)
    back = store.read("u")
    assert back["interaction"].dtype == "Int64" and back["interaction"].isna().all()
    assert back["civilian_targeting"].isna().all() and back["inter1"].isna().all()
    merged = merge_into_bundle(bundle, store).events
    ev = merged.set_index("event_id")
    assert ev.loc["a:AFG70001", "interaction"] == 37
    assert ev.loc["a:AFG70001", "civilian_targeting"] == "Civilian targeting"
    assert pd.isna(ev.loc["u:1001", "interaction"]) and pd.isna(ev.loc["u:1001", "inter1"])
