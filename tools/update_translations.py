"""Update the Chinese catalog of Click's own words, then compile it.

    python tools/update_translations.py          # extract from the installed Click, merge, compile
    python tools/update_translations.py --check  # fail when the .mo is not the compiled .po

Click marks its words (`Usage:`, `Options:`, `Error: …`) for gettext; babel extracts
them into briefings/locale/click.pot and merges them into zh_CN's click.po, where a
translator writes the Chinese. The compiled click.mo ships in the package, so a fresh
`pip install -e .` has it; tests check it matches the .po.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "briefings" / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "click.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
# Words Click passes to gettext from a variable, which extraction cannot see.
DYNAMIC = ("required",)


def extract() -> Catalog:
    template = Catalog(project="click", fuzzy=False)
    source = Path(click.__file__).parent
    for filename, lineno, message, comments, context in extract_from_dir(str(source), keywords=KEYWORDS):
        template.add(message, None, [(f"click/{filename}", lineno)], auto_comments=comments, context=context)
    for message in DYNAMIC:
        template.add(message, None, [("click/core.py", 0)])
    return template


def compiled(po: Path) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main() -> int:
    if "--check" in sys.argv:
        if not MO.is_file() or MO.read_bytes() != compiled(PO):
            print(f"{MO} 与 {PO} 不一致：请运行 python tools/update_translations.py", file=sys.stderr)
            return 1
        return 0
    template = extract()
    if PO.is_file():
        with PO.open("rb") as handle:
            catalog = read_po(handle, locale="zh_CN")
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = Catalog(locale="zh_CN", project="click")
        catalog.update(template)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True, ignore_obsolete=True)
    MO.write_bytes(compiled(PO))
    missing = [m.id for m in catalog if m.id and not m.string or (isinstance(m.string, tuple) and not all(m.string))]
    print(f"{len(catalog)} 条，未翻译 {len(missing)} 条：{PO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
