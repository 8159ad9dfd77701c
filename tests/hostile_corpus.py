"""A deterministic corpus of hostile and broken import files (generated, never committed).

``corpus()`` returns :class:`Case` objects in five classes:

``structure``  header only, blank lines, every row malformed or truncated, a comma header
               over a semicolon body, CR-only line ends, unbalanced quotes, a quoted newline
               in the header, whitespace-only and all-empty rows, duplicate and empty header
               names, 100k-character cells, trailing separators, a file cut inside a quote
``encoding``   BOMs, UTF-16 (with and without a byte-order mark), Latin-1, NUL bytes early
               and late, invalid UTF-8 after the first 64 KB
``extreme``    int64 overflow (``9223372036854775808``, ``1e20``, 20 nines), ``0x10``,
               NaN/inf, negative and huge counts, out-of-range coordinates and dates, in
               every numeric field of both formats
``names``      dataset names: path traversal, NUL, newline, HTML, empty, reserved, too long
``text``       every payload of ``tests/payloads.py`` (HTML, markdown links, ``javascript:``,
               ``@@=``/``@@#`` deck expressions, spreadsheet formulas, bidi and terminal
               controls) in every text field of both formats, and in the coded fields

Each case says what a correct import does with it: ``expect="message"`` (one clear
message, nothing stored), ``"rows"`` (row-level handling; ``rows`` is the number of
records the file holds when the generator knows it, and ``rejects`` the (row, field)
pairs that must be reported). ``python tests/hostile_corpus.py DIR`` writes the corpus
out for manual runs; the sizes by class are printed.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from payloads import PAYLOAD_CASES  # noqa: E402

ACLED_HEADER = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
ACLED_ROW = {
    "event_id_cnty": "AFG{n}",
    "event_date": "2024-11-{d:02d}",
    "year": "2024",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Taliban",
    "assoc_actor_1": "",
    "inter1": "Rebel group",
    "actor2": "Civilians (Afghanistan)",
    "assoc_actor_2": "",
    "inter2": "Civilians",
    "interaction": "Rebel group-Civilians",
    "civilian_targeting": "",
    "iso": "4",
    "region": "South Asia",
    "country": "Afghanistan",
    "admin1": "Badakhshan",
    "admin2": "Darwaz",
    "admin3": "",
    "location": "Nusay",
    "latitude": "38.42",
    "longitude": "70.79",
    "geo_precision": "1",
    "source": "Pajhwok",
    "source_scale": "National",
    "notes": "Clash.",
    "fatalities": "1",
    "tags": "",
    "timestamp": "1732000000",
}
UCDP_HEADER = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_new_id",
    "conflict_name",
    "dyad_new_id",
    "dyad_name",
    "side_a_new_id",
    "gwnoa",
    "side_a",
    "side_b_new_id",
    "gwnob",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)
UCDP_ROW = {
    "id": "{n}",
    "relid": "AFG-2021-1-{n}",
    "year": "2021",
    "active_year": "TRUE",
    "code_status": "Clear",
    "type_of_violence": "1",
    "conflict_new_id": "333",
    "conflict_name": "Afghanistan: Government",
    "dyad_new_id": "524",
    "dyad_name": "Government of Afghanistan - Taleban",
    "side_a_new_id": "130",
    "gwnoa": "700",
    "side_a": "Government of Afghanistan",
    "side_b_new_id": "303",
    "gwnob": "",
    "side_b": "Taleban",
    "number_of_sources": "1",
    "source_article": "article",
    "source_office": "Pajhwok",
    "source_date": "2021-07-{d:02d}",
    "source_headline": "Headline",
    "source_original": "original",
    "where_prec": "1",
    "where_coordinates": "Kunduz town",
    "where_description": "Kunduz",
    "adm_1": "Kunduz province",
    "adm_2": "Kunduz district",
    "latitude": "36.728",
    "longitude": "68.868",
    "geom_wkt": "POINT (68.868 36.728)",
    "priogrid_gid": "123456",
    "country": "Afghanistan",
    "country_id": "700",
    "region": "Asia",
    "event_clarity": "1",
    "date_prec": "1",
    "date_start": "2021-07-{d:02d}",
    "date_end": "2021-07-{d:02d}",
    "deaths_a": "0",
    "deaths_b": "0",
    "deaths_civilians": "0",
    "deaths_unknown": "0",
    "best": "2",
    "high": "3",
    "low": "1",
}
FORMATS = {"acled": (ACLED_HEADER, ACLED_ROW), "ucdp": (UCDP_HEADER, UCDP_ROW)}
#: Free-text fields (imported as text) and coded fields (a payload there rejects the row).
TEXT_FIELDS = {
    "acled": (
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "inter1",
        "actor2",
        "assoc_actor_2",
        "inter2",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "source",
        "source_scale",
        "notes",
        "region",
        "tags",
        "disorder_type",
        "interaction",
        "civilian_targeting",
    ),
    "ucdp": (
        "conflict_name",
        "dyad_name",
        "side_a",
        "side_b",
        "source_article",
        "source_office",
        "source_headline",
        "source_original",
        "where_coordinates",
        "where_description",
        "adm_1",
        "adm_2",
        "geom_wkt",
        "country",
        "region",
        "code_status",
    ),
}
CODED_FIELDS = {"acled": ("event_type", "event_date"), "ucdp": ("type_of_violence", "date_start")}
ID_FIELD = {"acled": "event_id_cnty", "ucdp": "id"}
#: Numeric fields and the values that must be rejected there (the row named with the field).
NUMERIC_FIELDS = {
    "acled": ("fatalities", "time_precision", "geo_precision", "year", "latitude", "longitude"),
    "ucdp": ("best", "low", "high", "where_prec", "date_prec", "type_of_violence", "latitude", "longitude"),
}
BAD_NUMBERS = (
    "9223372036854775808",
    "9223372036854775807",
    "-9223372036854775809",
    "1e20",
    "9" * 20,
    "0x10",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "-1",
    "1000001",
    "1.5",
    "3,5",
    "٣",
    "²",
    "",
)
BAD_COORDS = {
    "latitude": ("91", "-90.5", "1e400", "NaN", "inf", "0x10", "37,5", "1e2"),
    "longitude": ("181", "-180.01", "1e400", "NaN", "-inf", "0x10", "70,5", "-1e3"),
}
BAD_DATES = ("1024-11-18", "1677-09-21", "2262-04-12", "2300-01-01", "0000-00-00", "9999-12-31", "2024-02-30")
HOSTILE_NAMES = (
    "../escape",
    "a/b",
    "a\\b",
    "a\x00b",
    "abc\n",
    "<b>x</b>",
    "",
    "curated",
    " ",
    "x" * 200,
    ".hidden",
    "name with spaces",
    "\x1b[31mred",
    "café",
)


@dataclass(frozen=True)
class Case:
    """One corpus file and what a correct import does with it."""

    name: str
    klass: str
    fmt: str
    data: bytes
    expect: str = "rows"  # "rows" | "message"
    dataset: str = "hostile"
    rows: int | None = None
    rejects: tuple[tuple[int, str], ...] = ()
    payload: str | None = None
    payload_fields: tuple[str, ...] = field(default=())


def _csv(
    fmt: str, rows: list[dict], header: tuple[str, ...] | None = None, sep: str = ",", end: str = "\n"
) -> bytes:
    head = header or FORMATS[fmt][0]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=end)
    w.writerow(head)
    for r in rows:
        w.writerow([r.get(c, "") for c in head])
    return buf.getvalue().encode("utf-8")


def row(fmt: str, n: int, **over: str) -> dict:
    """A good record of ``fmt`` (id ``n``, a distinct day) with fields overridden."""
    base = FORMATS[fmt][1]
    out = {k: v.format(n=n, d=1 + n % 28) for k, v in base.items()}
    out.update(over)
    return out


def _good(fmt: str, k: int, start: int = 1) -> list[dict]:
    return [row(fmt, i) for i in range(start, start + k)]


def _structure(fmt: str) -> list[Case]:
    head, _ = FORMATS[fmt]
    h = ",".join(head)
    good = _csv(fmt, _good(fmt, 7)).decode()
    lines = good.split("\n")
    cases = [
        Case(f"{fmt}-header-only", "structure", fmt, (h + "\n").encode(), rows=0),
        Case(f"{fmt}-header-no-newline", "structure", fmt, h.encode(), rows=0),
        Case(f"{fmt}-header-blank-lines", "structure", fmt, (h + "\n\n\n\r\n").encode(), rows=0),
        Case(
            f"{fmt}-every-row-truncated",
            "structure",
            fmt,
            (h + "\n1,2\n3,4\n5\n").encode(),
            rows=3,
            rejects=((2, "(line)"), (3, "(line)"), (4, "(line)")),
        ),
        Case(
            f"{fmt}-every-row-too-long",
            "structure",
            fmt,
            (h + "\n" + "\n".join(ln + ",x,y" for ln in lines[1:4]) + "\n").encode(),
            rows=3,
            rejects=((2, "(line)"), (3, "(line)"), (4, "(line)")),
        ),
        Case(
            f"{fmt}-semicolon-body",
            "structure",
            fmt,
            (h + "\n" + "\n".join(ln.replace(",", ";") for ln in lines[1:8]) + "\n").encode(),
            rows=7,
        ),
        Case(f"{fmt}-semicolon-file", "structure", fmt, good.replace(",", ";").encode(), rows=7),
        Case(f"{fmt}-cr-only", "structure", fmt, good.replace("\n", "\r").encode(), rows=7),
        Case(f"{fmt}-crlf", "structure", fmt, good.replace("\n", "\r\n").encode(), rows=7),
        Case(
            f"{fmt}-whitespace-rows",
            "structure",
            fmt,
            "\n".join([lines[0], lines[1], "   ", lines[2], " \t ", lines[3]]).encode() + b"\n",
            rows=5,
            rejects=((3, "(line)"), (5, "(line)")),
        ),
        Case(
            f"{fmt}-all-empty-rows",
            "structure",
            fmt,
            "\n".join([lines[0], lines[1], "," * (len(head) - 1), lines[2]]).encode() + b"\n",
            rows=3,
            rejects=((3, "(line)"),),
        ),
        Case(f"{fmt}-blank-lines-before-header", "structure", fmt, ("\n\n" + good).encode(), rows=7),
        Case(
            f"{fmt}-trailing-comma-every-line",
            "structure",
            fmt,
            "\n".join(ln + "," for ln in lines[1:8]).join([lines[0] + "\n", "\n"]).encode(),
            rows=7,
        ),
        Case(
            f"{fmt}-leading-index-column",
            "structure",
            fmt,
            "\n".join(["," + lines[0]] + [f"{i}," + ln for i, ln in enumerate(lines[1:8])]).encode() + b"\n",
            rows=7,
        ),
        Case(
            f"{fmt}-extra-columns",
            "structure",
            fmt,
            "\n".join([lines[0] + ",extra,,extra"] + [ln + ",1,2,3" for ln in lines[1:8]]).encode() + b"\n",
            rows=7,
        ),
        Case(
            f"{fmt}-duplicate-used-column",
            "structure",
            fmt,
            (good.split("\n", 1)[0] + f",{head[0]}\n").encode() + b"x\n",
            expect="message",
        ),
        Case(f"{fmt}-cut-inside-quote", "structure", fmt, (good.rstrip("\n") + ',"unfinished').encode()),
        Case(f"{fmt}-only-newlines", "structure", fmt, b"\n\n\n\n", expect="message"),
        Case(f"{fmt}-empty", "structure", fmt, b"", expect="message"),
        Case(
            f"{fmt}-not-this-format",
            "structure",
            fmt,
            _csv("ucdp" if fmt == "acled" else "acled", _good("ucdp" if fmt == "acled" else "acled", 2)),
            expect="message",
        ),
    ]
    # An unclosed quote in row 4 of 7: the rest of the file is swallowed into one record, which is
    # rejected saying so (rows read = imported + rejected, nothing silent).
    bad = [dict(r) for r in _good(fmt, 7)]
    text = _csv(fmt, bad).decode().split("\n")
    loc = "location" if fmt == "acled" else "where_coordinates"
    text[4] = text[4].replace(",Nusay," if fmt == "acled" else ",Kunduz town,", ',"unclosed,')
    cases.append(
        Case(
            f"{fmt}-unclosed-quote-row-5",
            "structure",
            fmt,
            "\n".join(text).encode(),
            rows=4,
            rejects=((5, "(line)"),),
        )
    )
    text = _csv(fmt, bad).decode().split("\n")
    text[3] = text[3].replace(",Nusay," if fmt == "acled" else ",Kunduz town,", ',"open,')
    text[6] = text[6].replace(",Nusay," if fmt == "acled" else ",Kunduz town,", ',close",')
    cases.append(
        Case(
            f"{fmt}-quote-pair-across-rows",
            "structure",
            fmt,
            "\n".join(text).encode(),
            rows=4,
            rejects=((4, loc),),
        )
    )
    # A header name with a quoted newline: row numbers must not shift.
    hq = ",".join(f'"{c[:2]}\n{c[2:]}"' if c == loc else c for c in head)
    data = (hq + "\n" + "\n".join(lines[1:4]) + "\n" + lines[4].replace(",1,", ",x,", 1) + "\n").encode()
    cases.append(Case(f"{fmt}-newline-in-header", "structure", fmt, data, rows=4))
    big = "x" * 100_000
    cases.append(
        Case(
            f"{fmt}-100k-cell",
            "structure",
            fmt,
            _csv(fmt, [row(fmt, 1, **{loc: big}), row(fmt, 2)]),
            rows=2,
            rejects=((2, loc),),
        )
    )
    cases.append(
        Case(
            f"{fmt}-empty-header-names",
            "structure",
            fmt,
            _csv(fmt, _good(fmt, 2), header=(*head, "", "", " ")),
            rows=2,
        )
    )
    return cases


def _encoding(fmt: str) -> list[Case]:
    good = _csv(fmt, _good(fmt, 3))
    text = good.decode()
    many = _csv(fmt, _good(fmt, 800))  # > 64 KB, so a late fault is past the sniffed head
    assert len(many) > 70_000
    late = many[:-200] + b"\xe9" + many[-200:]
    nul_late = many[: len(many) - 300] + many[len(many) - 300 :].replace(b"Pajhwok", b"Paj\x00hwok", 1)
    return [
        Case(f"{fmt}-utf8-bom", "encoding", fmt, b"\xef\xbb\xbf" + good, rows=3),
        Case(f"{fmt}-utf16-le-bom", "encoding", fmt, text.encode("utf-16"), rows=3),
        Case(f"{fmt}-utf16-be-bom", "encoding", fmt, b"\xfe\xff" + text.encode("utf-16-be"), rows=3),
        Case(f"{fmt}-utf16-no-bom", "encoding", fmt, text.encode("utf-16-le"), expect="message"),
        Case(
            f"{fmt}-latin1",
            "encoding",
            fmt,
            text.replace("Taleban", "Talébàn").replace("Taliban", "Talébàn").encode("latin-1"),
            expect="message",
        ),
        Case(
            f"{fmt}-nul-in-head",
            "encoding",
            fmt,
            good.replace(b"Pajhwok", b"Paj\x00hwok", 1),
            expect="message",
        ),
        Case(f"{fmt}-nul-late", "encoding", fmt, nul_late, rows=800),
        Case(f"{fmt}-invalid-utf8-late", "encoding", fmt, late),
        Case(f"{fmt}-double-bom", "encoding", fmt, b"\xef\xbb\xbf\xef\xbb\xbf" + good),
    ]


def _extreme(fmt: str) -> list[Case]:
    cases = []
    for col in NUMERIC_FIELDS[fmt]:
        values = BAD_COORDS.get(col, BAD_NUMBERS)
        if col == "year":
            values = ("-1", "0x7E8", "99999", "1e3", "20.24", "NaN")
        rows = [row(fmt, i, **{col: v}) for i, v in enumerate(values, start=1)]
        # Every value is refused naming the row and field; only an empty fatalities cell is allowed (unknown).
        must = tuple((i + 1, col) for i, v in enumerate(values, start=1) if v != "" or col != "fatalities")
        cases.append(
            Case(f"{fmt}-extreme-{col}", "extreme", fmt, _csv(fmt, rows), rows=len(values), rejects=must)
        )
    date_col = "event_date" if fmt == "acled" else "date_start"
    rows = [row(fmt, i, **{date_col: v}) for i, v in enumerate(BAD_DATES, start=1)] + [row(fmt, 99)]
    if fmt == "ucdp":
        for r in rows[:-1]:
            r["date_end"] = ""
    cases.append(
        Case(
            f"{fmt}-extreme-dates",
            "extreme",
            fmt,
            _csv(fmt, rows),
            rows=len(rows),
            rejects=tuple((i + 1, date_col) for i in range(1, len(BAD_DATES) + 1)),
        )
    )
    cases.append(
        Case(
            f"{fmt}-extreme-null-island",
            "extreme",
            fmt,
            _csv(fmt, [row(fmt, 1, latitude="0", longitude="0"), row(fmt, 2)]),
            rows=2,
            rejects=((2, "latitude"),),
        )
    )
    return cases


def _names(fmt: str) -> list[Case]:
    good = _csv(fmt, _good(fmt, 2))
    return [
        Case(f"{fmt}-name-{i}", "names", fmt, good, expect="message", dataset=name)
        for i, name in enumerate(HOSTILE_NAMES)
    ]


def _text(fmt: str) -> list[Case]:
    cases = []
    for name, payload in PAYLOAD_CASES:
        fields = TEXT_FIELDS[fmt]
        rows = [row(fmt, 1, **dict.fromkeys(fields, payload))]
        rows.append(row(fmt, 2, **{ID_FIELD[fmt]: f"{payload}#2"}))
        coded = [row(fmt, 3 + i, **{c: payload}) for i, c in enumerate(CODED_FIELDS[fmt])]
        rejects = tuple((4 + i, c) for i, c in enumerate(CODED_FIELDS[fmt]))
        # Known gap: a bare CR inside a quoted cell ends Arrow's record early; every row is still
        # accounted for (read = imported + rejected), but the count is not the file's.
        bare_cr = "\r" in payload.replace("\r\n", "")
        cases.append(
            Case(
                f"{fmt}-text-{name}",
                "text",
                fmt,
                _csv(fmt, rows + coded),
                expect="message" if "\x00" in payload else "rows",
                rows=None if bare_cr or "\x00" in payload else 2 + len(coded),
                rejects=() if bare_cr else rejects,
                payload=None if bare_cr else payload,
                payload_fields=fields,
            )
        )
    return cases


def corpus() -> list[Case]:
    """Every case, in a fixed order (the same bytes on every run)."""
    out: list[Case] = []
    for fmt in FORMATS:
        out += _structure(fmt) + _encoding(fmt) + _extreme(fmt) + _names(fmt) + _text(fmt)
    names = [c.name for c in out]
    assert len(set(names)) == len(names), "case names must be unique"
    return out


def sizes() -> dict[str, int]:
    """Number of files per class."""
    out: dict[str, int] = {}
    for c in corpus():
        out[c.klass] = out.get(c.klass, 0) + 1
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("hostile-corpus")
    target.mkdir(parents=True, exist_ok=True)
    for c in corpus():
        (target / f"{c.name}.csv").write_bytes(c.data)
    print(sizes(), sum(sizes().values()), "files in", target)
