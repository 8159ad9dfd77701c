"""Exports that come wrapped: an Excel workbook (``.xlsx``/``.xls``), a ``.zip`` holding one
CSV or workbook (UCDP's CSV download is zipped), or a gzip-compressed CSV.

The upload page accepts files up to Streamlit's ``server.maxUploadSize``
(:data:`MAX_BYTES`, read from ``.streamlit/config.toml``); that limit is on the
bytes sent, so a small archive could unpack to gigabytes. Here the same limit
applies to the *uncompressed* data: an archive member whose declared size is
above it is refused before anything is unpacked, and unpacking stops as soon as
the data read passes it (a member can lie about its size). The CLI can raise
the limit (``panjwatch import --max-mb``).

A workbook's first sheet is read unless a sheet is named (``--sheet``). Cells
become CSV text: dates as ISO ``2020-03-21``, whole numbers without ``.0``,
other numbers in their shortest exact form.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import html
import io
import os
import re
import tomllib
import zipfile
from pathlib import Path

from geo.data.importers.common import NotCSVError, Source, open_source
from geo.data.paths import REPO_ROOT


def _upload_limit_mb() -> int:
    try:
        with open(REPO_ROOT / ".streamlit" / "config.toml", "rb") as f:
            return int(tomllib.load(f)["server"]["maxUploadSize"])
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError):
        return 200


#: Largest uncompressed data accepted from an archive or workbook, bytes (the upload limit).
MAX_BYTES = _upload_limit_mb() * 1024 * 1024
_CHUNK = 1 << 20
_ZIP, _OLE, _GZIP = b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x1f\x8b"
#: Most bytes of ``xl/workbook.xml`` read to list the sheets (real ones are a few kB).
_WORKBOOK_XML_MAX = 1 << 20
_SHEET_RE = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def _read_capped(stream, limit: int, what: str) -> bytes:
    out = io.BytesIO()
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return out.getvalue()
        out.write(chunk)
        if out.tell() > limit:
            raise NotCSVError(
                f"{what} unpacks to more than {_mb(limit)}, the import limit for compressed files "
                "(an archive that grows far beyond its size is refused); unpack it and import the CSV itself."
            )


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time() else v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.time | dt.timedelta):
        return str(v)
    return str(v)


def _workbook_to_csv(data: bytes, sheet: str | None, what: str) -> tuple[bytes, str]:
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
        if not names:
            raise NotCSVError(f"{what} has no sheets.")
        if sheet is not None and sheet not in names:
            raise NotCSVError(
                f"{what} has no sheet named {sheet!r}; its sheets are: {', '.join(names[:20])}."
            )
        name = sheet if sheet is not None else names[0]
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except NotCSVError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own and Rust panics; one message
        raise NotCSVError(f"{what} cannot be read as an Excel workbook: {str(exc)[:160]}") from None
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for r in rows:
        writer.writerow([_cell(v) for v in r])
    others = (
        f" (the first of {len(names)} sheets: {', '.join(names[:6])})"
        if len(names) > 1 and sheet is None
        else ""
    )
    return buf.getvalue().encode(
        "utf-8"
    ), f"read sheet {name!r} of {what}{others}; {max(len(rows) - 1, 0):,} row(s)"


def _zip_member(zf: zipfile.ZipFile, what: str) -> zipfile.ZipInfo:
    members = [
        i
        for i in zf.infolist()
        if not i.is_dir() and not i.filename.startswith(("__MACOSX/", ".")) and "/." not in i.filename
    ]
    data = [i for i in members if i.filename.lower().endswith((".csv", ".txt", ".xlsx", ".xls"))]
    if len(data) == 1:
        return data[0]
    listing = ", ".join(i.filename[:60] for i in members[:10]) or "nothing"
    if not data:
        raise NotCSVError(f"{what} holds no CSV or Excel file (it has: {listing}).")
    raise NotCSVError(f"{what} holds {len(data)} data files ({listing}); put one export per archive.")


def unpack(source: Source, *, sheet: str | None = None, max_bytes: int | None = None) -> tuple[Source, str]:
    """The CSV inside ``source`` when it is a workbook or an archive; else ``source`` itself.

    Parameters
    ----------
    source : path, bytes or binary stream
    sheet : str, optional
        Workbook sheet to read (default: the first).
    max_bytes : int, optional
        Limit on the uncompressed data (default :data:`MAX_BYTES`).

    Returns
    -------
    (source, note)
        The CSV (bytes, or ``source`` unchanged) and a sentence for the import report ("" if unchanged).

    Raises
    ------
    NotCSVError
        Unreadable or oversized archive, no or several data files, missing sheet.
    """
    limit = max_bytes or MAX_BYTES
    stream = open_source(source)
    try:
        magic = stream.read(4)
        if not magic.startswith((_ZIP, _OLE, _GZIP)):
            return source, ""
        what = "the upload" if not isinstance(source, (str, os.PathLike)) else Path(source).name
        if magic.startswith(_OLE):
            stream.seek(0)
            return _workbook_to_csv(_read_capped(stream, limit, what), sheet, what)
        if magic.startswith(_GZIP):
            stream.seek(0)
            try:
                with gzip.GzipFile(fileobj=stream) as gz:
                    return _read_capped(gz, limit, what), f"unpacked {what} (gzip)"
            except (OSError, EOFError) as exc:
                raise NotCSVError(f"{what} is a damaged gzip file: {exc}") from None
        stream.seek(0)
        try:
            zf = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError) as exc:
            raise NotCSVError(
                f"{what} looks like a ZIP archive (an Excel .xlsx workbook is one) but cannot be opened: {exc}"
            ) from None
        with zf:
            infos = zf.infolist()
            declared = sum(i.file_size for i in infos)
            if any(n.filename == "xl/workbook.xml" for n in infos):
                if declared > limit:
                    raise NotCSVError(
                        f"{what} unpacks to {_mb(declared)}, more than the {_mb(limit)} import limit; "
                        "save the sheet as CSV and import that."
                    )
                total = 0
                for info in infos:  # declared sizes can lie: count what really comes out
                    try:
                        with zf.open(info) as f:
                            while chunk := f.read(_CHUNK):
                                total += len(chunk)
                                if total > limit:
                                    raise NotCSVError(
                                        f"{what} unpacks to more than {_mb(limit)}, the import limit; "
                                        "save the sheet as CSV and import that."
                                    )
                    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
                        raise NotCSVError(f"{what} is a damaged workbook: {exc}") from None
                stream.seek(0)
                return _workbook_to_csv(_read_capped(stream, limit, what), sheet, what)
            member = _zip_member(zf, what)
            if member.file_size > limit:
                raise NotCSVError(
                    f"{member.filename} in {what} unpacks to {_mb(member.file_size)}, more than the "
                    f"{_mb(limit)} import limit; unpack it and import the CSV itself."
                )
            try:
                with zf.open(member) as f:
                    data = _read_capped(f, limit, f"{member.filename} in {what}")
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
                raise NotCSVError(f"{member.filename} in {what} cannot be unpacked: {exc}") from None
            if member.filename.lower().endswith((".xlsx", ".xls")):
                out, note = _workbook_to_csv(data, sheet, f"{member.filename} in {what}")
                return out, note
            return data, f"read {member.filename} from the ZIP archive {what}"
    finally:
        if isinstance(source, (str, os.PathLike)):
            stream.close()


def sheet_names(source: Source, *, max_bytes: int | None = None) -> list[str] | None:
    """The sheet names of an Excel workbook (or of the one workbook in a ``.zip``), in workbook order.

    Cheap: an ``.xlsx`` has only its ``xl/workbook.xml`` read (at most 1 MB of it), so a
    workbook whose sheets would unpack beyond the limit is listed without being unpacked
    (:func:`unpack` refuses it later, with its message). ``None`` when ``source`` is not a
    workbook, or cannot be opened as one (the import then says why).

    Parameters
    ----------
    source : path, bytes or binary stream
    max_bytes : int, optional
        Limit on a workbook member read out of a ``.zip`` (default :data:`MAX_BYTES`).
    """
    limit = max_bytes or MAX_BYTES
    stream = open_source(source)
    try:
        magic = stream.read(4)
        stream.seek(0)
        if magic.startswith(_OLE):
            return _calamine_names(_read_capped(stream, limit, "the workbook"))
        if not magic.startswith(_ZIP):
            return None
        with zipfile.ZipFile(stream) as zf:
            names = zf.namelist()
            if "xl/workbook.xml" in names:
                with zf.open("xl/workbook.xml") as f:
                    xml = f.read(_WORKBOOK_XML_MAX)
                return [html.unescape(m.decode("utf-8", "replace")) for m in _SHEET_RE.findall(xml)] or None
            member = _zip_member(zf, "the archive")
            if not member.filename.lower().endswith((".xlsx", ".xls")) or member.file_size > limit:
                return None
            with zf.open(member) as f:
                return sheet_names(_read_capped(f, limit, member.filename), max_bytes=limit)
    except (
        NotCSVError,
        zipfile.BadZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
    ):
        return None
    finally:
        if isinstance(source, (str, os.PathLike)):
            stream.close()


def _calamine_names(data: bytes) -> list[str] | None:
    import python_calamine

    try:
        return list(python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names) or None
    except Exception:  # noqa: BLE001 - calamine raises its own and Rust panics; the import says why
        return None
