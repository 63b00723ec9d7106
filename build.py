"""Build the sample workspace (content/) into dist/: `python build.py`.

Each issue as DOCX and HTML, the index page, and the archive website in dist/site/.
"""

from pathlib import Path
import sys

from briefings.build import build
from briefings.diagnostics import BriefingError

ROOT = Path(__file__).resolve().parent


def main() -> int:
    try:
        written = build(ROOT / "content", ROOT / "dist")
        written += build(ROOT / "content", ROOT / "dist", site=True)
    except BriefingError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic.format(ROOT), file=sys.stderr)
        return 1
    for path in written:
        print(f"已生成 {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
