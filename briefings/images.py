"""Pictures sized for where they are shown: print (DOCX) and screen (HTML).

Clerks attach phone photos of 12 MP and more. Embedding them as they are
makes a DOCX that mail servers refuse, so every picture goes through
`process`: upright by its EXIF orientation, scaled to what it is printed or
shown at (never enlarged), re-encoded (photos as JPEG, line art and
screenshots as PNG) without any EXIF, so no location data leaves the office.

`PictureCache` keeps processed pictures in the workspace, keyed by the
source's content and the target, so a rebuild does not redo them. Every
entry is checked against the digest recorded beside it before use. A
source's own digest is recorded with its size and mtime: a rebuild neither
reads nor hashes an unchanged photo, nor opens it to check it again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import math
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import PIL  # only the package, for its version: PIL.Image is imported where pictures are opened

from .diagnostics import BriefingError, Diagnostic
from .files import read_record, record_file, write_atomic
from .incremental import RACY_SECONDS
from .model import Image

if TYPE_CHECKING:
    from PIL import Image as PILImage

# Bump when processing changes, so old cache entries are not reused.
PIPELINE_VERSION = 3  # 2: 16/32-bit greyscale scaled, not clipped; reduced by bands; 3: print bicubic, screen baseline
CACHE_DIR = ".briefing-cache"
DEFAULT_DPI = 96.0  # what Word assumes for a picture that does not say
MM_PER_INCH = 25.4
JPEG_QUALITY = 85
PHOTO_FORMATS = ("JPEG", "MPO")  # camera output; everything else is kept lossless
ORIENTATION_TAG = 0x0112
# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose),
# by name of PIL.Image.Transpose.
UPRIGHT = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
           7: "TRANSVERSE", 8: "ROTATE_90"}
TURNED = {"TRANSPOSE", "TRANSVERSE", "ROTATE_90", "ROTATE_270"}  # width and height swap
# PIL.Image.Resampling values (an IntEnum), written out so that no picture need be opened to name them.
BICUBIC = 3


@dataclass(frozen=True)
class Target:
    """Where a picture is shown: the largest pixel box, and for print the printed box."""

    name: str
    max_width: int  # pixels
    max_height: int
    # Bicubic: from a JPEG decoded at 1/2 a photo shrinks by less than 2×, where Lanczos is a
    # third slower and no closer to the full-size picture (measured: PSNR 47.2 dB vs 47.4 dB).
    resample: int = BICUBIC
    box_mm: tuple[float, float] | None = None  # print: largest printed width and height
    max_dpi: float = 300.0

    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def print_target(width_mm: float, height_mm: float, dpi: float = 300.0) -> Target:
    """Pictures printed within width × height mm, at `dpi` at most."""
    return Target("print", int(width_mm / MM_PER_INCH * dpi), int(height_mm / MM_PER_INCH * dpi),
                  box_mm=(width_mm, height_mm), max_dpi=dpi)


# Baseline JPEG, not progressive: a page embeds its pictures as data: URIs, which a browser shows only
# once it has them whole, so progressive scans would bring nothing for 2.5 times the encoding time.
SCREEN = Target("screen", 1200, 1600)


@dataclass(frozen=True)
class Picture:
    """A processed picture, ready to embed."""

    data: bytes
    width: int  # pixels
    height: int
    format: str  # JPEG or PNG
    dpi: float  # pixels per inch at the printed size

    @property
    def mime(self) -> str:
        return f"image/{self.format.lower()}"

    @property
    def extension(self) -> str:
        return ".jpg" if self.format == "JPEG" else ".png"


def fit(width: int, height: int, dpi: float | None, target: Target) -> tuple[int, int, float]:
    """Pixel size and dpi of an upright width × height picture shown at `target`.

    For print, the printed size is the picture's own size at its dpi, shrunk to
    fit the box; its pixels are then at most `max_dpi` at that size. Never enlarges.
    """
    dpi = dpi or DEFAULT_DPI
    scale = min(1.0, target.max_width / width, target.max_height / height)
    printed_w = width / dpi  # inches
    if target.box_mm:
        box_w, box_h = (mm / MM_PER_INCH for mm in target.box_mm)
        printed_w = min(printed_w, box_w, box_h * width / height)
        scale = min(scale, printed_w * target.max_dpi / width)
    new_w = max(1, math.floor(width * scale + 1e-9))
    new_h = max(1, math.floor(height * scale + 1e-9))
    return new_w, new_h, new_w / printed_w


def process(source: bytes, dpi: float | None, target: Target) -> Picture:
    """The picture upright, scaled for `target` and re-encoded without metadata."""
    return process_all(source, dpi, [target])[0]


def process_all(source: bytes, dpi: float | None, targets: list[Target]) -> list[Picture]:
    """`process` for each target; targets that decode a JPEG at the same scale share the decode.

    Each result is the same bytes `process` gives for its target alone.
    """
    pictures: dict[Target, Picture] = {}
    for group in _groups(source, dpi, targets):
        with _decoded(source, dpi, group) as (pixels, icc):
            pictures.update((plan.target, _finish(pixels, plan, icc)) for plan in group)
    return [pictures[target] for target in targets]


def _groups(source: bytes, dpi: float | None, targets: list[Target]) -> list[list[_Plan]]:
    """The plans for `targets`, grouped by the size the source decodes to for them."""
    _return_pixel_memory_to_the_system()
    plans = []
    for target in targets:
        opened, plan = _open(source, dpi, target)
        opened.close()
        plans.append(plan)
    return [[plan for plan in plans if plan.decoded == decoded] for decoded in dict.fromkeys(p.decoded for p in plans)]


@contextlib.contextmanager
def _decoded(source: bytes, dpi: float | None, group: list[_Plan]):
    """The source decoded (and whole-number reduced) for a group of plans, and its colour profile."""
    with DECODE_BUDGET.hold(processing_cost(*group[0].decoded)):
        opened, _ = _open(source, dpi, group[0].target)
        with opened:
            factor = _reduce_factor(opened.size, [plan.stored for plan in group])
            pixels = _reduced(opened, _converter(opened, group[0].photo), factor)
            # A profile describes the source's pixels; after a mode change it would lie.
            icc = opened.info.get("icc_profile") if pixels.mode == opened.mode else None
            if pixels is not opened:
                opened.close()  # free the full-size decode before resampling
        try:
            yield pixels, icc
        finally:
            pixels.close()


class DecodeBudget:
    """Bytes of decoded pixels all threads may hold at once.

    A PNG of a few KB can decode to 358 MB (Pillow's pixel limit at 4 bytes a
    pixel); several at once would exhaust memory. A picture waits until its
    cost fits; one larger than the whole budget waits until it runs alone.
    """

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self._free = threading.Condition()

    @contextlib.contextmanager
    def hold(self, cost: int):
        cost = min(cost, self.limit)
        with self._free:
            self._free.wait_for(lambda: self.used + cost <= self.limit)
            self.used += cost
        try:
            yield
        finally:
            with self._free:
                self.used -= cost
                self._free.notify_all()


BYTES_PER_PIXEL = 4  # Pillow holds RGB, RGBA, CMYK, I and F pixels in 4 bytes
# One picture may decode to this much (64 MP in colour). The budget lets one such
# picture run alone; with the interpreter, libraries and an issue in memory
# (~100 MB) a build stays under 500 MB whatever the pictures.
MAX_DECODED_BYTES = 256 * 2**20
DECODE_BUDGET = DecodeBudget(320 * 2**20)
REDUCING_GAP = 2.0  # box-reduce to within 2× of the target, then resample: fast, and as sharp
BAND_BYTES = 16 * 2**20  # decoded pixels converted and reduced a band at a time


def decoded_size(width: int, height: int, mode: str) -> int:
    """Bytes Pillow holds for a width × height picture decoded in `mode`."""
    per_pixel = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else BYTES_PER_PIXEL
    return width * height * per_pixel


def processing_cost(width: int, height: int) -> int:
    """What processing a picture decoded at width × height holds at most: its pixels and working copies."""
    return 2 * width * height * BYTES_PER_PIXEL


M_MMAP_THRESHOLD = -3  # glibc mallopt() parameter
LARGE_ALLOCATION = 2**20
# Freed pixel blocks Pillow keeps for the next picture (16 MB each). A block mapped afresh
# costs a page fault per 4 KB: for a 12 MP photo (decode, resize, turn, for print and
# screen) 15% of its processing time, without them. Kept blocks never raise the peak:
# each was in use just before.
KEPT_PIXEL_BLOCKS = 8


@functools.cache
def _return_pixel_memory_to_the_system() -> None:
    """Make the C library map every large block (Pillow's 16 MB pixel blocks) on its own.

    By default glibc raises this threshold as large blocks are freed, and then
    keeps freed pixel memory in each thread's arena: after a few big pictures a
    build holds far more than the budget. A mapped block goes back to the
    system when freed, but for the few Pillow keeps for reuse (KEPT_PIXEL_BLOCKS).
    Elsewhere (no glibc) the mapping is left alone.
    """
    import ctypes.util  # with pictures to process only

    from PIL import Image as PILImage

    PILImage.core.set_blocks_max(KEPT_PIXEL_BLOCKS)
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, LARGE_ALLOCATION)
    except (OSError, AttributeError):
        pass


def _reduce_factor(size: tuple[int, int], outputs: list[tuple[int, int]]) -> int:
    """The whole-number shrink every output can start from (1: none)."""
    largest_w = max(w for w, _ in outputs)
    largest_h = max(h for _, h in outputs)
    return max(1, int(min(size[0] / largest_w, size[1] / largest_h) / REDUCING_GAP))


def _reduced(image: PILImage.Image, convert, factor: int) -> PILImage.Image:
    """`convert(image)` shrunk `factor` times, a band of rows at a time.

    Converting and reducing the whole picture at once would hold two or three
    full-size copies of it (RGBA is also premultiplied first); by bands, only
    the decoded picture is held at full size.
    """
    from PIL import Image as PILImage

    image.load()
    if factor == 1:
        return convert(image)
    rows = max(factor, BAND_BYTES // (image.width * BYTES_PER_PIXEL) // factor * factor)
    result = None
    for top in range(0, image.height, rows):
        band = convert(image.crop((0, top, image.width, min(top + rows, image.height)))).reduce(factor)
        if result is None:
            result = PILImage.new(band.mode, (band.width, -(-image.height // factor)))
        result.paste(band, (0, top // factor))
    return result


@dataclass(frozen=True)
class _Plan:
    """How one picture is decoded and scaled for one target."""

    target: Target
    width: int  # the output, upright
    height: int
    dpi: float
    stored: tuple[int, int]  # the output size before turning it upright
    transpose: str | None  # a PIL.Image.Transpose name
    photo: bool
    decoded: tuple[int, int]  # the size the source decodes to


def _open(source: bytes, dpi: float | None, target: Target) -> tuple[PILImage.Image, _Plan]:
    """The source opened (nothing decoded yet) and what to make of it for `target`."""
    from PIL import Image as PILImage

    opened = PILImage.open(io.BytesIO(source))
    transpose = UPRIGHT.get(_orientation(opened))
    turned = transpose in TURNED
    upright = (opened.height, opened.width) if turned else opened.size
    width, height, out_dpi = fit(*upright, dpi, target)
    stored = (height, width) if turned else (width, height)
    photo = opened.format in PHOTO_FORMATS
    if photo:
        # Decode at 1/2, 1/4 or 1/8 scale straight from the JPEG: a 12 MP
        # photo is never held in memory at full size just to be shrunk.
        opened.draft(None, stored)
    return opened, _Plan(target, width, height, out_dpi, stored, transpose, photo, opened.size)


def _orientation(opened: PILImage.Image) -> int:
    """The EXIF orientation, read without decoding the pixels.

    Pillow's getexif() on a PNG decodes the whole picture to look for an eXIf
    chunk after the pixels; one before them (where writers put it) is in `info`.
    """
    if opened.format == "PNG":
        from PIL import Image as PILImage

        exif = PILImage.Exif()
        if "exif" in opened.info:
            exif.load(opened.info["exif"])
        return exif.get(ORIENTATION_TAG, 1)
    return opened.getexif().get(ORIENTATION_TAG, 1)


def _finish(pixels: PILImage.Image, plan: _Plan, icc: bytes | None) -> Picture:
    picture = pixels
    if picture.size != plan.stored:
        picture = picture.resize(plan.stored, plan.target.resample, reducing_gap=3.0)
    if plan.transpose is not None:
        from PIL import Image as PILImage

        picture = picture.transpose(PILImage.Transpose[plan.transpose])
    out = io.BytesIO()
    if plan.photo:
        picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=icc)
    else:
        picture.save(out, "PNG", icc_profile=icc)
    return Picture(out.getvalue(), plan.width, plan.height, "JPEG" if plan.photo else "PNG", plan.dpi)


def _converter(image: PILImage.Image, photo: bool):
    """How to bring pixels of `image` (or a band of it) into a mode the output holds and resizes smoothly."""
    if image.mode in WIDE_GREY:
        return _grey_to_8_bit(image)
    if photo:
        return _same if image.mode in ("RGB", "L") else _to("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return _same
    if image.mode == "P" or image.mode == "1":
        # Palette pictures are resized nearest-neighbour by Pillow; convert first.
        return _to("RGBA" if "transparency" in image.info else "RGB")
    return _to("RGBA" if "A" in image.getbands() else "RGB")


def _same(image: PILImage.Image) -> PILImage.Image:
    return image


def _to(mode: str):
    return lambda image: image.convert(mode)


# Greyscale with 16 or 32 bits a pixel (scanners, X-ray and microscope cameras, some
# screenshot tools). A plain convert() clips every value above 255 to white.
WIDE_GREY = ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")


def _grey_to_8_bit(image: PILImage.Image):
    """Conversion to 8-bit greyscale, scaled from the range the pixels were stored in.

    16-bit modes use their whole range; a 32-bit integer or float picture is
    read as 8-bit, 16-bit or 0–1 data by its brightest pixel (of the whole
    picture, so every band is scaled alike), since its mode does not say which.
    """
    brightest = 65535.0 if image.mode.startswith("I;16") else float(image.getextrema()[1])
    if image.mode == "F" and brightest <= 1.0:
        full = 1.0
    elif brightest <= 255:
        full = 255.0
    elif brightest <= 65535:
        full = 65535.0
    else:
        full = brightest

    def convert(pixels: PILImage.Image) -> PILImage.Image:
        if pixels.mode.startswith("I;16"):
            pixels = pixels.convert("I")
        return pixels.point(lambda value: value * (255.0 / full)).convert("L")
    return convert


class PictureCache:
    """Processed pictures on disk, keyed by source content, target and pipeline version.

    An entry is `<source sha256>.<target key>.jpg|.png` with a `.json` beside it
    holding the picture's size, format and the SHA-256 of its bytes; an entry
    that does not match its digest is processed again and replaced, never
    embedded. Without a folder nothing is stored: each picture is processed.
    """

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.hits = self.misses = 0

    @classmethod
    def for_workspace(cls, root: Path) -> PictureCache:
        return cls(cache_folder(root))

    def picture(self, image: Image, target: Target) -> Picture:
        stem = self._stem(image, target)
        cached = self._load(stem) if self.folder else None
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        picture = _process(image, [target])[0]
        if self.folder:
            self._store(stem, picture, image)
        return picture

    def prepare(self, images: list[Image], targets: list[Target], workers: int) -> None:
        """Fill the cache for the pictures a build will embed, `workers` at a time.

        Pillow decodes, resizes and encodes outside the GIL, so threads use
        every core; each thread holds one picture. The writers then read the
        cache, so nothing here is kept in memory.
        """
        if not self.folder:
            return
        jobs = [(image, missing) for image in images if (missing := self.missing(image, targets))]
        if not jobs:
            return  # nor is a thread pool imported
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max(1, workers)) as pool:
            for _ in pool.map(lambda job: self._fill(*job), jobs):
                pass

    def missing(self, image: Image, targets: list[Target]) -> list[Target]:
        """The targets the cache holds no entry of `image` for."""
        return [t for t in targets if not (self.folder / f"{self._stem(image, t)}.json").exists()]

    def _fill(self, image: Image, targets: list[Target]) -> None:
        """Process one source for all its missing targets at once and store them."""
        pictures = _process(image, targets)
        for target, picture in zip(targets, pictures):
            self._store(self._stem(image, target), picture, image)

    def _stem(self, image: Image, target: Target) -> str:
        return f"{source_digest(image.path, self.folder)}.{target_key(target)}"

    def _load(self, stem: str) -> Picture | None:
        try:
            meta = read_record(self.folder / f"{stem}.json")
            data = (self.folder / f"{stem}{meta['extension']}").read_bytes()
            if hashlib.sha256(data).hexdigest() != meta["sha256"]:
                return None
            return Picture(data, int(meta["width"]), int(meta["height"]), str(meta["format"]),
                           float(meta["dpi"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, stem: str, picture: Picture, source: Image) -> None:
        meta = {"sha256": hashlib.sha256(picture.data).hexdigest(), "width": picture.width,
                "height": picture.height, "format": picture.format, "dpi": picture.dpi,
                "extension": picture.extension,
                # The source as the item check found it, which a later check may take from here.
                "source": [source.width, source.height, source.format, source.dpi]}
        try:
            # Data first, then the record that vouches for it; both renamed into place.
            # Not forced to disk: after a crash a lost or torn entry fails its digest and is made again.
            write_atomic(self.folder / f"{stem}{picture.extension}", picture.data, durable=False)
            write_atomic(self.folder / f"{stem}.json", json.dumps(meta, sort_keys=True).encode(), durable=False)
        except OSError:
            pass  # a read-only workspace still builds, just without the cache


class _Ahead:
    """A build's pictures processed on other threads as its item checks decode them."""

    def __init__(self, cache: PictureCache, targets: Callable[[], list[Target]], workers: int):
        from concurrent.futures import ThreadPoolExecutor

        self.cache, self.targets = cache, functools.cache(targets)  # known when a picture needs them
        self.pool = ThreadPoolExecutor(max(1, workers))
        self.started: set[str] = set()  # source digests
        self.decoded: list[contextlib.ExitStack] = []  # each picture's decode, until it is made
        # The checks wait rather than decode more pictures than the workers make: memory stays as
        # for `PictureCache.prepare`, a picture or so per worker.
        self.slots = threading.Semaphore(max(1, workers))

    def start(self, image: Image) -> bool:
        """Decode the source here, as the item check must; process the rest on the pool.

        False when there is nothing to make (the check then decodes the picture itself).
        A failure to decode raises here, like the check's own decode; one after it
        is left for `PictureCache.prepare`, which makes the picture again and names the error.
        """
        digest = source_digest(image.path, self.cache.folder)
        if digest in self.started:
            return True
        missing = self.cache.missing(image, self.targets())
        if not missing:
            return False  # no format with pictures is made, or the cache has them all
        source = image.path.read_bytes()
        groups = _groups(source, image.dpi, missing)
        self.slots.acquire()
        decoded = contextlib.ExitStack()
        try:
            pixels, icc = decoded.enter_context(_decoded(source, image.dpi, groups[0]))
        except BaseException:
            self.slots.release()
            raise
        self.started.add(digest)
        self.decoded.append(decoded)

        def finish() -> None:
            try:
                with decoded:  # freed before another group's decode, as process_all does
                    pictures = {plan.target: _finish(pixels, plan, icc) for plan in groups[0]}
                rest = [plan.target for group in groups[1:] for plan in group]
                pictures.update(zip(rest, process_all(source, image.dpi, rest)))
                for target, picture in pictures.items():
                    self.cache._store(self.cache._stem(image, target), picture, image)
            finally:
                self.slots.release()

        self.pool.submit(finish)
        return True

    def close(self, cancel: bool) -> None:
        """Wait for the pictures begun (`cancel`: only for those already being made)."""
        self.pool.shutdown(cancel_futures=cancel)
        for decoded in self.decoded:
            decoded.close()  # that of a picture cancelled before it was made


def check_decode(image: Image) -> bool:
    """Whether a build processing pictures ahead (see pictureahead.py) took this checked picture's
    decode: it raised if the source does not decode. False: the check must decode it itself."""
    from . import pictureahead

    request = pictureahead.current
    if request is None:
        return False
    if request.work is None:
        request.work = _Ahead(PictureCache.for_workspace(request.root), request.targets, request.workers)
    return request.work.start(image)


def _process(image: Image, targets: list[Target]) -> list[Picture]:
    """`process_all` for a checked picture; a failure names the file, in Chinese, like the checks."""
    from PIL import Image as PILImage

    try:
        return process_all(image.path.read_bytes(), image.dpi, targets)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as exc:
        raise BriefingError([Diagnostic(image.path, None, f"图片无法处理：{exc.__class__.__name__}")]) from exc


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR / "images"


def target_key(target: Target) -> str:
    """Target, pipeline and Pillow version: another encoder may give other bytes."""
    text = "\n".join([target.key(), str(PIPELINE_VERSION), PIL.__version__])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SOURCES_DIR = "sources"  # in a cache folder: the digest of each source picture, by size and mtime
_digests: dict[tuple[Path, int, int], str] = {}  # this process's, by path, mtime and size


def source_digest(path: Path, folder: Path | None = None) -> str:
    """SHA-256 of a source picture, hashed once while the file keeps its size and mtime.

    With a cache `folder` the digest is recorded there, so a later build only
    stats the photos it embeds from the cache instead of reading and hashing
    megabytes of each (as the workspace's other files are trusted, see incremental.py).
    """
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _digests:
        record = record_file(folder / SOURCES_DIR, str(path)) if folder else None
        digest = _recorded_digest(record, stat) if record else None
        if digest is None:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            # A file changed just now may change again within the same mtime tick: hash it next time too.
            if record and time.time_ns() - stat.st_mtime_ns >= RACY_SECONDS * 1e9:
                with contextlib.suppress(OSError):
                    write_atomic(record, json.dumps([stat.st_size, stat.st_mtime_ns, digest]).encode(), durable=False)
        _digests[key] = digest
    return _digests[key]


def _recorded_digest(record: Path, stat) -> str | None:
    try:
        size, mtime, digest = read_record(record)
    except (OSError, ValueError, TypeError):
        return None
    return digest if [size, mtime] == [stat.st_size, stat.st_mtime_ns] and isinstance(digest, str) else None


def checked_before(root: Path, path: Path) -> Image | None:
    """The picture as checked when the workspace's cache was filled from exactly these bytes, if it was.

    Such a source was fully decoded once already, so the item check need not
    open it again: that would cost more than the rest of a rebuild.
    """
    folder = cache_folder(root)
    if not folder.is_dir():
        return None
    for meta in sorted(folder.glob(f"{source_digest(path, folder)}.*.json")):
        try:
            width, height, fmt, dpi = read_record(meta)["source"]
            return Image(path, int(width), int(height), str(fmt), None if dpi is None else float(dpi))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None
