"""The picture pipeline: upright, never enlarged, PNG kept, no location; the cache; DOCX print size."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefings import images
from briefings.build import build
from briefings.images import SCREEN, PictureCache, print_target, process
from briefings.model import Image
from briefings.writers.docx import PRINT

from conftest import copy_samples

GPS_IFD = 0x8825
ORIENTATION = 0x0112
RED, BLUE = (220, 30, 30), (30, 30, 220)
EMU_PER_MM = 36000


def two_colour(width: int, height: int) -> PILImage.Image:
    """Red left half, blue right half: which way up it is shows in the pixels."""
    picture = PILImage.new("RGB", (width, height), BLUE)
    picture.paste(RED, (0, 0, width // 2, height))
    return picture


def phone_photo(path: Path, width: int = 4000, height: int = 3000) -> Path:
    """An upright two-colour photo stored sideways with Orientation=6, as phones do, with GPS."""
    exif = PILImage.Exif()
    exif[ORIENTATION] = 6  # "rotate 90° clockwise to view"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (30.0, 52.0, 12.0), 3: "E", 4: (104.0, 4.0, 5.0)})
    two_colour(width, height).transpose(PILImage.Transpose.ROTATE_90).save(path, "JPEG", quality=90, exif=exif)
    return path


def checked(path: Path) -> Image:
    with PILImage.open(path) as picture:
        dpi = picture.info.get("dpi", (None,))[0]
        return Image(path, picture.width, picture.height, picture.format, float(dpi) if dpi else None)


def opened(data: bytes) -> PILImage.Image:
    picture = PILImage.open(io.BytesIO(data))
    picture.load()
    return picture


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def test_exif_rotated_photo_comes_out_upright_and_without_location(tmp_path):
    source = phone_photo(tmp_path / "photo.jpg")
    for target in (PRINT, SCREEN):
        picture = process(source.read_bytes(), None, target)
        out = opened(picture.data)
        assert out.format == picture.format == "JPEG"
        assert out.width > out.height and (out.width, out.height) == (picture.width, picture.height)
        assert near(out.getpixel((10, out.height // 2)), RED)
        assert near(out.getpixel((out.width - 10, out.height // 2)), BLUE)
        assert "exif" not in out.info and GPS_IFD not in out.getexif()
        assert out.getexif().get(ORIENTATION) is None
    assert process(source.read_bytes(), None, SCREEN).width == 1200


def test_photo_is_scaled_to_print_at_most_300_dpi():
    picture = process(_jpeg(4000, 3000), 72.0, PRINT)
    # 156 mm at 300 dpi is 1842 pixels; the printed width is the full type width.
    assert picture.width == 1842 and picture.height == 1381
    assert picture.width / picture.dpi * 25.4 == pytest.approx(156, abs=0.1)
    assert picture.dpi <= 300


def test_small_picture_is_not_enlarged(tmp_path):
    data = _png(300, 200, dpi=72)
    for target in (PRINT, SCREEN):
        picture = process(data, 72.0, target)
        assert (picture.width, picture.height) == (300, 200)
    # Printed at its own size (300 px at 72 dpi is 105.8 mm), not stretched to the type width.
    assert process(data, 72.0, PRINT).dpi == pytest.approx(72)


def test_high_dpi_scan_is_reduced_to_300_dpi_at_its_printed_size():
    picture = process(_png(1200, 600, dpi=600), 600.0, PRINT)
    assert (picture.width, picture.height) == (600, 300)
    assert picture.dpi == pytest.approx(300)


def test_line_art_stays_png_and_photos_become_jpeg():
    line_art = PILImage.new("P", (2400, 800), 0)
    line_art.putpalette([255, 255, 255, 0, 0, 0])
    line_art.paste(1, (100, 100, 2300, 120))
    buffer = io.BytesIO()
    line_art.save(buffer, "PNG")
    picture = process(buffer.getvalue(), None, PRINT)
    assert picture.format == "PNG" and picture.data.startswith(b"\x89PNG")
    assert opened(picture.data).width == picture.width <= PRINT.max_width
    assert process(_jpeg(800, 600), None, PRINT).data.startswith(b"\xff\xd8")


def test_cache_hit_miss_after_change_and_corrupted_entry(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    source = phone_photo(tmp_path / "photo.jpg", 1600, 1200)
    fresh = process(source.read_bytes(), checked(source).dpi, PRINT)

    cache = PictureCache(folder)
    assert cache.picture(checked(source), PRINT) == fresh and cache.misses == 1
    entry = next(folder.glob("*.jpg"))
    stamp = entry.stat().st_mtime_ns

    # A hit: nothing is processed, the entry is not rewritten, the bytes are a fresh process's.
    with monkeypatch.context() as m:
        m.setattr(images, "process_all", _must_not_process)
        again = PictureCache(folder)
        assert again.picture(checked(source), PRINT) == fresh and again.hits == 1
    assert entry.stat().st_mtime_ns == stamp

    # The photo changes: a new entry, made from the new photo.
    two_colour(800, 600).save(source, "JPEG", quality=90)
    changed = PictureCache(folder)
    picture = changed.picture(checked(source), PRINT)
    assert changed.misses == 1 and (picture.width, picture.height) == (800, 600)
    assert len(list(folder.glob("*.jpg"))) == 2

    # A damaged entry is noticed by its digest, processed again and replaced.
    entry = folder / f"{images.source_digest(source, folder)}.{images.target_key(PRINT)}.jpg"
    good = entry.read_bytes()
    entry.write_bytes(good[:1000] + b"\0" * 50 + good[1050:])
    repaired = PictureCache(folder)
    assert repaired.picture(checked(source), PRINT).data == good and repaired.misses == 1
    assert entry.read_bytes() == good


def test_built_docx_pictures_fit_the_type_width_at_most_300_dpi(tmp_path):
    root = _workspace_with_photo(tmp_path)
    docx = next(p for p in build(root, tmp_path / "out", ["luxian/2017-09"]) if p.suffix == ".docx")
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode("utf-8")
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="(media/[^"]+)"', rels))
        drawings = re.findall(r'<wp:inline.*?<wp:extent cx="(\d+)" cy="(\d+)".*?r:embed="(rId\d+)"', document)
        assert len(drawings) == 2
        sizes = []
        for cx, cy, rel in drawings:
            data = package.read(f"word/{targets[rel]}")
            picture = opened(data)
            width_mm, height_mm = int(cx) / EMU_PER_MM, int(cy) / EMU_PER_MM
            assert width_mm <= 156.01 and height_mm <= 150.01
            assert picture.width / (width_mm / 25.4) <= 300.5
            assert picture.height / (height_mm / 25.4) <= 300.5
            assert GPS_IFD not in picture.getexif()
            sizes.append((picture.format, picture.width, picture.height, round(width_mm)))
    # The sample PNG stays PNG; the sideways phone photo is upright at the full type width.
    assert sizes[0][0] == "PNG"
    assert sizes[1] == ("JPEG", 1842, 1381, 156)


def test_rebuild_from_cache_gives_the_same_bytes(tmp_path):
    root = _workspace_with_photo(tmp_path)
    first = {p.name: p.read_bytes() for p in build(root, tmp_path / "a", ["luxian/2017-09"])}
    entries = sorted(p.name for p in (root / ".briefing-cache/images").glob("*.*"))
    assert len(entries) == 8  # two sources × (print, screen) × (picture, record)
    images._digests.clear()  # as a new process would
    second = {p.name: p.read_bytes() for p in build(root, tmp_path / "b", ["luxian/2017-09"])}
    assert first == second


def test_truncated_photo_is_reported_even_beside_a_cache(tmp_path):
    from briefings.build import check_workspace

    root = _workspace_with_photo(tmp_path)
    build(root, tmp_path / "out", ["luxian/2017-09"], ["docx"])
    photo = root / "images/luxian/phone.jpg"
    photo.write_bytes(photo.read_bytes()[:-20000])
    report = check_workspace(root, ["luxian/2017-09"]).report
    assert any("phone.jpg" in d.message and "文件不完整" in d.message for d in report.errors)


def _workspace_with_photo(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    copy_samples(root)
    phone_photo(root / "images/luxian/phone.jpg")
    item = root / "items/luxian/2017-09/05-yiyao-fuhuaqi.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n![现场](../../../images/luxian/phone.jpg)\n",
                    encoding="utf-8")
    return root


def _must_not_process(*args, **kwargs):
    raise AssertionError("a cached picture was processed again")


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    two_colour(width, height).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _png(width: int, height: int, dpi: int) -> bytes:
    buffer = io.BytesIO()
    two_colour(width, height).save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def test_print_target_is_the_type_width_at_300_dpi():
    target = print_target(156, 150)  # 156 mm and 150 mm at 300 dpi: 1842.5 and 1771.7 pixels
    assert (target.max_width, target.max_height) == (1842, 1771)
    assert target == PRINT  # what the DOCX writer uses


def test_a_picture_that_cannot_be_processed_is_a_named_error(tmp_path):
    from briefings.diagnostics import BriefingError

    path = tmp_path / "broken.jpg"
    path.write_bytes(_jpeg(800, 600)[:3000])
    with pytest.raises(BriefingError) as error:
        PictureCache(tmp_path / "cache").picture(Image(path, 800, 600, "JPEG"), PRINT)
    assert error.value.diagnostics[0].path == path and "图片无法处理" in error.value.diagnostics[0].message
    assert not (tmp_path / "cache").exists()


def test_rebuild_after_a_text_edit_neither_reads_nor_opens_the_cached_photo(tmp_path, monkeypatch):
    import pathlib

    root = _workspace_with_photo(tmp_path)
    photo = root / "images/luxian/phone.jpg"
    an_hour_ago = photo.stat().st_mtime_ns - 3600 * 10**9
    os.utime(photo, ns=(an_hour_ago, an_hour_ago))  # a photo changed just now is hashed again next time
    first = {p.name: p.read_bytes() for p in build(root, tmp_path / "a", ["luxian/2017-09"])}
    images._digests.clear()  # as a new process would

    def read_bytes(self):
        assert self != photo, "the photo's bytes were read again"
        return original_read_bytes(self)

    def open_picture(source, *args, **kwargs):
        assert Path(source) != photo, "the photo was opened again"
        return original_open(source, *args, **kwargs)

    original_read_bytes, original_open = pathlib.Path.read_bytes, PILImage.open
    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    monkeypatch.setattr(PILImage, "open", open_picture)
    item = root / "items/luxian/2017-09/05-yiyao-fuhuaqi.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    second = {p.name: p.read_bytes() for p in build(root, tmp_path / "b", ["luxian/2017-09"])}
    docx = next(name for name in second if name.endswith(".docx"))
    with zipfile.ZipFile(io.BytesIO(second[docx])) as package:
        assert "补充一句" in package.read("word/document.xml").decode("utf-8")
        media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
    with zipfile.ZipFile(io.BytesIO(first[docx])) as package:
        assert [package.read(n) for n in media] == [zipfile.ZipFile(io.BytesIO(second[docx])).read(n) for n in media]
    assert len(media) == 2  # the sample's PNG and the photo, as before the edit


def test_a_photo_changed_just_now_or_with_a_damaged_digest_record_is_hashed_again(tmp_path):
    folder = tmp_path / "cache"
    source = phone_photo(tmp_path / "photo.jpg", 800, 600)
    fresh = images.source_digest(source, folder)
    assert not (folder / images.SOURCES_DIR).exists()  # changed within the last 2 s: not recorded
    an_hour_ago = source.stat().st_mtime_ns - 3600 * 10**9
    os.utime(source, ns=(an_hour_ago, an_hour_ago))
    images._digests.clear()
    assert images.source_digest(source, folder) == fresh
    (record,) = (folder / images.SOURCES_DIR).iterdir()
    assert json.loads(record.read_text()) == [source.stat().st_size, an_hour_ago, fresh]

    record.write_text('[1, 2, "not the digest"]')  # recorded for another size and mtime: not trusted
    images._digests.clear()
    assert images.source_digest(source, folder) == fresh
    record.write_text("{damaged")
    images._digests.clear()
    assert images.source_digest(source, folder) == fresh


def jpeg_decodes(monkeypatch) -> list[tuple[int, int]]:
    """The size of every JPEG decoded from now on (in this process)."""
    from PIL import ImageFile

    decodes = []
    original_load = ImageFile.ImageFile.load

    def load(self):
        if self.tile and self.format == "JPEG":
            decodes.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return decodes


def test_a_build_decodes_a_new_photo_once_for_its_check_print_and_screen(tmp_path, monkeypatch):
    root = _workspace_with_photo(tmp_path)
    photo = root / "images/luxian/phone.jpg"
    with monkeypatch.context() as counting:
        decodes = jpeg_decodes(counting)
        built = build(root, tmp_path / "out", ["luxian/2017-09"])
    # The sideways 4000 × 3000 photo, decoded at half size: the item check read every byte of
    # it there, and print (1842 wide) and screen (1200 wide) were both made from that decode.
    assert decodes == [(1500, 2000)]
    assert images.DECODE_BUDGET.used == 0  # every decode let go
    assert len(list((root / ".briefing-cache/images").glob(f"{images.source_digest(photo)}.*.jpg"))) == 2
    images._digests.clear()
    again = {p.name: p.read_bytes() for p in build(root, tmp_path / "again", ["luxian/2017-09"], force=True)}
    shutil.rmtree(root / ".briefing-cache")
    fresh = {p.name: p.read_bytes() for p in build(root, tmp_path / "fresh", ["luxian/2017-09"])}
    assert {p.name: p.read_bytes() for p in built} == again == fresh


def test_a_build_stopped_by_an_error_keeps_the_photos_its_checks_decoded(tmp_path, monkeypatch):
    from briefings.diagnostics import BriefingError

    root = _workspace_with_photo(tmp_path)
    photo = root / "images/luxian/phone.jpg"
    other = root / "items/luxian/2017-09/06-gongxiaoshe-diaoyan.md"  # checked after the photo's item
    good = other.read_text(encoding="utf-8")
    other.write_text(good + "\n![缺](missing.jpg)\n", encoding="utf-8")
    with pytest.raises(BriefingError) as error:
        build(root, tmp_path / "out", ["luxian/2017-09"])
    assert any("missing.jpg" in d.message for d in error.value.diagnostics)
    assert images.DECODE_BUDGET.used == 0 and not (tmp_path / "out").exists()
    # The photo's check decoded it; print and screen were made from that decode all the same.
    assert len(list((root / ".briefing-cache/images").glob(f"{images.source_digest(photo)}.*.jpg"))) == 2

    decodes = jpeg_decodes(monkeypatch)
    other.write_text(good, encoding="utf-8")
    build(root, tmp_path / "out", ["luxian/2017-09"])
    assert decodes == []  # the error fixed, the photo is not decoded again
