"""The 公文 template and every kind of built 公文 are valid for Word (tests/ooxml.py),
and so is a 简报 whose 报尾 goes on an even page."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from briefings.build import build
from briefings.templatedir import default_templates_dir
from conftest import copy_samples
from gongwen_fixtures import FULL_ID, SAMPLE_ID, add_full_document
from ooxml import ECMA_SCHEMAS, docx_problems, ecma_xsd_problems

TEMPLATE = default_templates_dir() / "gongwen.docx"


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The sample, the full 请示, the sample with a seal picture, and a 简报 with even_page."""
    root = copy_samples(tmp_path_factory.mktemp("gwvalid") / "ws")
    add_full_document(root)
    written = build(root, root / "dist", [SAMPLE_ID, FULL_ID, "luxian/2017-09"], ["docx"])
    sealed = copy_samples(tmp_path_factory.mktemp("gwseal") / "ws")
    seal = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse((5, 5, 295, 295), outline=(230, 0, 0, 255), width=12)
    seal.save(sealed / "images/seal.png")
    series = sealed / "series/kunzhengban.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "印章: ../images/seal.png\n", encoding="utf-8")
    luxian = sealed / "series/luxian.yaml"
    luxian.write_text(luxian.read_text(encoding="utf-8").replace("  copies: 80\n", "  copies: 80\n  even_page: true\n"),
                      encoding="utf-8")
    written += build(sealed, sealed / "dist", [SAMPLE_ID, "luxian/2017-09"], ["docx"])
    assert len(written) == 5
    return [TEMPLATE] + written


def test_valid_for_word(documents):
    for path in documents:
        assert docx_problems(path) == [], path.name


@pytest.mark.skipif(not ECMA_SCHEMAS.exists(), reason=f"Ecma 架构文件不在 {ECMA_SCHEMAS}（可设 OOXML_SCHEMAS）")
def test_valid_against_ecma_transitional_xsds(documents):
    for path in documents:
        assert ecma_xsd_problems(path) == [], path.name
