"""Province and country names as analysts' files spell them, compared through one key.

ACLED, UCDP and the curated data spell the same province differently (Jawzjan /
Jowzjan, Sari Pul / Sar-e Pol, Khatlon / Khatlon Province, GBAO /
Gorno-Badakhshan / Kuhistoni Badakhshon), and Natural Earth, whose polygons
are shipped, has its own spellings and some outdated names (N.W.F.P., Northern
Areas). :func:`name_key` folds case, accents, punctuation and generic words
("province", "wilayat-e", "viloyati", "oblast", "autonomous region" ...);
:data:`PROVINCE_ALIASES` lists, per Natural Earth ``adm1_code``, the other
names that key to the same province. A name matches a province when its key is
one of the province's keys (:func:`province_keys`) or it is the code itself.

Country names resolve to ISO 3166-1 alpha-2 codes through
:func:`country_codes`, so the join can keep a point among the provinces of its
own country.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

#: Words that say what kind of unit a name is, not which one. Removed wherever they
#: stand as whole words, after accents and punctuation are folded.
_GENERIC = frozenset(
    {
        "province", "provincia", "wilayat", "wilayate", "velayat", "velayate", "welayat", "welayaty",
        "ostan", "ostane", "viloyati", "viloyat", "viloyatlari", "oblast", "oblasty", "oblasti",
        "oblys", "region", "autonomous", "mukhtori", "zizhiqu", "state", "division", "and", "va",
        "the", "of",
    }
)  # fmt: skip
#: Ezafe particles left over when "Wilayat-e Jowzjan" is split into words.
_PARTICLES = frozenset({"e", "ye", "i", "y"})
_APOSTROPHES = str.maketrans("", "", "'’‘`ʻʼ´")

#: Other names of each shipped province (Natural Earth ``adm1_code``), beyond its
#: ``name`` and ``gn_name``, which count already. NE's own ``name_ne`` does not count
#: by itself: for two provinces it is wrong (AFG-1769 "Parwan" is Panjshir, AFG-1753
#: "Uruzgan" is Daykundi), so the outdated-but-right NE names are listed here instead.
#: A name may belong to two provinces (Tashkent: the city and the region): it then
#: matches either.
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    # Tajikistan
    "TJK-366": (
        "GBAO", "Gorno-Badakhshan Autonomous Oblast", "Kuhistoni Badakhshon", "Badakhshoni Kuhi",
        "Mountainous Badakhshan", "Badakhshon", "Badakhshan", "Gorno-Badakhshanskaya",
    ),
    "TJK-367": ("Hatlon", "Khatlonskaya"),
    "TJK-368": (
        "Districts of Republican Subordination", "Region of Republican Subordination",
        "Republican Subordination", "Nohiyahoi tobei jumhuri", "DRS", "RRS", "Karotegin",
        "Tadzhikistan Territories",
    ),
    "TJK-369": ("Sughd", "Sugd", "Soghd", "Sogd", "Leninabad", "Leninobod"),
    # Afghanistan
    "AFG-1741": ("Badghes", "Badgis"),
    "AFG-1742": ("Hirat", "Herat"),
    "AFG-1743": ("Bamian", "Bamiyan"),
    "AFG-1745": ("Fariab", "Faryab"),
    "AFG-1746": ("Jowzjan", "Jozjan", "Jauzjan", "Juzjan", "Jouzjan", "Jawzjan"),
    "AFG-1747": ("Ghowr", "Ghur"),
    "AFG-1748": ("Sar-e Pol", "Sar-e Pul", "Sar-i-Pul", "Sar-i Pul", "Saripul", "Sarepol", "Sar-e-Pul"),
    "AFG-1750": ("Hilmand", "Helmand"),
    "AFG-1751": ("Nimruz", "Nimrooz", "Nimroz"),
    "AFG-1752": ("Oruzgan", "Urozgan", "Orozgan", "Uruzgan"),
    "AFG-1753": ("Daykundi", "Daikundi", "Daykondi", "Dai Kundi", "Day Kundi"),
    "AFG-1754": ("Qandahar",),
    "AFG-1755": ("Zabol",),
    "AFG-1758": ("Khowst", "Khost"),
    "AFG-1760": ("Badakhshon",),
    "AFG-1761": ("Nurestan",),
    "AFG-1762": ("Konar", "Kunarha"),
    "AFG-1763": ("Qunduz", "Kondoz", "Konduz", "Qondoz"),
    "AFG-1764": ("Ningarhar", "Nangrahar"),
    "AFG-1769": ("Panjsher", "Panjshir"),
    "AFG-1772": ("Parvan",),
    "AFG-1774": ("Maidan Wardak", "Maydan Wardak", "Vardak"),
    "AFG-3413": ("Paktia", "Paktiya"),
    # Pakistan (Natural Earth predates the renames of 2009-2010 and the 2018 merger of FATA into KP)
    "PAK-1108": ("Baluchistan",),
    "PAK-1109": ("Azad Jammu and Kashmir", "AJK"),
    "PAK-1110": ("F.C.T.", "Islamabad", "ICT", "Federal Capital Territory"),
    "PAK-1111": ("Northern Areas", "Gilgit Baltistan"),
    "PAK-1112": ("F.A.T.A.", "FATA", "Khyber Pakhtunkhwa", "KPK"),
    "PAK-1114": ("Sind",),
    "PAK-1123": ("N.W.F.P.", "NWFP", "North-West Frontier Province", "KPK", "KP"),
    # Uzbekistan
    "UZB-354": ("Bukhara", "Buxoro"),
    "UZB-355": ("Xorazm", "Khorazm"),
    "UZB-356": ("Qoraqalpogiston", "Republic of Karakalpakstan"),
    "UZB-357": ("Navoiy",),
    "UZB-358": ("Samarqand",),
    "UZB-361": ("Qashqadaryo",),
    "UZB-362": ("Surxondaryo", "Surkhondaryo"),
    "UZB-363": ("Andijan",),
    "UZB-364": ("Fergana", "Fargona"),
    "UZB-370": ("Jizzax", "Djizak"),
    "UZB-371": ("Syrdarya",),
    "UZB-372": ("Toshkent", "Tashkent"),
    "UZB-4828": ("Toshkent", "Tashkent", "Toshkent Shahri"),
    # Turkmenistan
    "TKM-352": ("Akhal",),
    "TKM-353": ("Dasoguz", "Tashauz"),
    "TKM-359": ("Chardzhou",),
    # Kyrgyzstan
    "KGZ-1116": ("Chui",),
    "KGZ-1117": ("Issyk-Kul", "Ysyk-Kol"),
    "KGZ-1120": ("Djalal-Abad",),
    # Iran
    "IRN-3209": ("Kohgiluyeh and Boyer-Ahmad",),
    "IRN-3211": ("Isfahan",),
    "IRN-3218": ("Chaharmahal and Bakhtiari",),
    "IRN-3230": ("Ardabil",),
    "IRN-3237": ("West Azerbaijan",),
    "IRN-3238": ("East Azerbaijan",),
    "IRN-3241": ("Kurdistan",),
    "IRN-3244": ("Khorasan-e Jonubi",),
    "IRN-3245": ("Khorasan-e Razavi", "Khorasan Razavi"),
    "IRN-3246": ("Khorasan-e Shomali",),
    "IRN-3247": ("Sistan and Baluchistan",),
    # China
    "CHN-1756": ("Xinjiang Uyghur", "Xinjiang Uygur"),
}  # fmt: skip

#: ISO 3166-1 alpha-2 code of each country name an export may use (keys are
#: :func:`name_key` s). Countries with no shipped province are listed too, so that
#: the join report can name them.
_COUNTRIES = {
    "AF": ("Afghanistan", "AFG", "Islamic Republic of Afghanistan", "Islamic Emirate of Afghanistan"),
    "TJ": ("Tajikistan", "TJK", "Tadzhikistan"),
    "UZ": ("Uzbekistan", "UZB"),
    "TM": ("Turkmenistan", "TKM"),
    "KG": ("Kyrgyzstan", "KGZ", "Kyrgyz Republic", "Kirghizia"),
    "PK": ("Pakistan", "PAK"),
    "IR": ("Iran", "IRN", "Iran (Islamic Republic of)", "Islamic Republic of Iran"),
    "CN": ("China", "CHN", "People's Republic of China"),
    "IN": ("India", "IND"),
    "RU": ("Russia", "RUS", "Russian Federation"),
    "KZ": ("Kazakhstan", "KAZ"),
    "QA": ("Qatar", "QAT"),
    "US": ("United States", "USA", "United States of America"),
}
COUNTRY_NAMES = {code: names[0] for code, names in _COUNTRIES.items()}


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """Comparison key of a province or country name: ``"Sar-e Pul Province"`` → ``"sarpul"``.

    Accents are removed (NFKD), case folded, apostrophes dropped, other
    punctuation splits words; generic words ("province", "wilayat-e", "viloyati",
    "oblast", "autonomous region", "and" ...) and ezafe particles are dropped and
    the remaining words joined without spaces. A name made only of generic words
    keeps them (so "Region" is not the empty key).
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_APOSTROPHES)
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w]
    kept = [w for w in words if w not in _GENERIC]
    # "Wilayat-e Jowzjan": the particle after a dropped generic word is not part of the name.
    kept = [w for w in kept if w not in _PARTICLES] or kept
    return "".join(kept or words)


def province_keys(admin1: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Keys that name each province: its ``name``, ``gn_name`` (when present), its
    aliases in :data:`PROVINCE_ALIASES` and its ``adm1_code``.

    Parameters
    ----------
    admin1 : DataFrame
        Provinces with ``adm1_code`` and ``name``.

    Returns
    -------
    dict of str to frozenset of str
        ``adm1_code`` -> keys (see :func:`name_key`); the code itself is included
        casefolded, so a file that gives NE codes as ``admin1`` matches too.
    """
    cols = [c for c in ("name", "gn_name") if c in admin1]
    out: dict[str, frozenset[str]] = {}
    for rec in admin1[["adm1_code", *cols]].itertuples(index=False):
        code = str(rec[0])
        names = [v for v in rec[1:] if isinstance(v, str) and v]
        names += PROVINCE_ALIASES.get(code, ())
        out[code] = frozenset({name_key(n) for n in names} | {code.casefold()})
    return out


def names_match(given: pd.Series, codes: pd.Series, keys: dict[str, frozenset[str]]) -> pd.Series:
    """True where the name in ``given`` names the province ``codes`` (same index), by key.

    Each distinct (name, code) pair is compared once: 100k events share a few dozen.
    """
    n_codes, n_uniq = pd.factorize(given.astype("string").fillna(""))
    c_codes, c_uniq = pd.factorize(codes.astype("string").fillna(""))
    pair = n_codes.astype(np.int64) * max(len(c_uniq), 1) + c_codes
    uniq, inverse = np.unique(pair, return_inverse=True)
    hit = np.array(
        [
            _names(str(n_uniq[p // max(len(c_uniq), 1)]), str(c_uniq[p % max(len(c_uniq), 1)]), keys)
            for p in uniq
        ],
        dtype=bool,
    )
    return pd.Series(hit[inverse.ravel()] if len(uniq) else np.zeros(len(given), bool), index=given.index)


def _names(name: str, code: str, keys: dict[str, frozenset[str]]) -> bool:
    return bool(name) and (name_key(name) in keys.get(code, ()) or name.strip().casefold() == code.casefold())


def country_codes(values: pd.Series) -> pd.Series:
    """ISO 3166-1 alpha-2 codes of country names, ISO2/ISO3 codes or UCDP/ACLED spellings.

    Parameters
    ----------
    values : Series
        Country per event. A value naming several countries separated by ``;``
        (the curated "Afghanistan; Pakistan") gives them all, ``;``-joined.

    Returns
    -------
    Series of string
        Codes (``"PK"``, ``"AF;PK"``); a name not in the table keeps its text
        (a country with no shipped provinces); missing or empty values are NA.
    """
    uniq = pd.unique(values.astype("string").fillna(""))
    table = {}
    for v in uniq:
        parts = [p.strip() for p in str(v).split(";") if p.strip()]
        codes = [_country_code(p) for p in parts]
        table[v] = ";".join(codes) if codes else pd.NA
    return values.astype("string").fillna("").map(table).astype("string")


def country_label(code: str) -> str:
    """Readable country name of a code from :func:`country_codes` (unknown text as is)."""
    return " or ".join(COUNTRY_NAMES.get(c, c) for c in str(code).split(";"))


_COUNTRY_KEYS = {name_key(n): code for code, names in _COUNTRIES.items() for n in (code, *names)}


def _country_code(name: str) -> str:
    # Parenthetical qualifiers ("Iran (Islamic Republic of)") are tried whole, then without.
    for candidate in (name, re.sub(r"\s*\(.*\)\s*$", "", name)):
        code = _COUNTRY_KEYS.get(name_key(candidate))
        if code:
            return code
    return name
