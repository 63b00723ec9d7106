"""Where the signature (发文机关署名) and the date (成文日期) go: GB/T 9704-2012 §7.3.5.

Word right-aligns a line but cannot relate two lines to each other, so the
right indents are worked out here, in characters (ems) of the body face.

- Stamped (加盖印章): the date 4 characters in from the right (右空四字), each name
  centred over the date; a name too long for that keeps 2 characters to the right
  and the date stays centred under it.
- Not stamped: the name 2 characters in from the right (右空二字), the date starting
  2 characters right of the name's first character; a date longer than that allows
  sits 2 in from the right and the name moves left to keep the relation.
- Several offices (联合行文) are stacked, lead office first, starting at one place.
"""

from __future__ import annotations

from typing import NamedTuple

from ..typeset import text_width


class SignatureBlock(NamedTuple):
    names: list[tuple[str, float]]  # (name, right indent in ems)
    date_right: float  # the date's right indent in ems


def signature_block(names: list[str], date: str, sealed: bool) -> SignatureBlock:
    widest = max((text_width(n) for n in names), default=0.0)
    date_width = text_width(date)
    if sealed:
        date_right = 4.0
        widest_right = date_right + (date_width - widest) / 2
        if widest_right < 2:
            widest_right = 2.0
            date_right = widest_right + (widest - date_width) / 2
        # Centred over the date, each name by its own width.
        centre_right = date_right + date_width / 2
        return SignatureBlock([(n, centre_right - text_width(n) / 2) for n in names], date_right)
    widest_right = 2.0
    date_right = widest - 2 - date_width + widest_right  # date starts 2 right of the name
    if date_right < 2:
        date_right = 2.0
        widest_right = date_right + date_width + 2 - widest
    start_right = widest_right + widest  # every name starts where the widest does
    return SignatureBlock([(n, start_right - text_width(n)) for n in names], date_right)
