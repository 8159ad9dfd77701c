"""File text made safe to print on a terminal (no Streamlit, no pandas: the CLI imports it at start)."""

from __future__ import annotations

import re

# C0/C1 controls, DEL, and the Unicode controls that reorder or hide text on a terminal.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def terminal_safe(text: object) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``).

    File data printed on a terminal must not move the cursor, change colours,
    set the window title or reorder the line: ESC, CR, the other C0/C1 controls,
    bidirectional overrides and zero-width characters are written as escapes;
    tabs and newlines as ``\\t``/``\\n`` so one value stays on one line.
    """
    s = str(text)
    s = s.replace("\t", "\\t").replace("\n", "\\n")
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", s
    )
