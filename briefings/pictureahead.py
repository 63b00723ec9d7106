"""A build's request that new pictures be processed while its checks decode them.

The work is done by images.py (see `images.check_decode`); this module only
holds the request, so that a build that checks no new picture imports neither
images.py nor Pillow.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable


class Request:
    """(Not a dataclass: making one costs more than the rest of this module, on every build.)"""

    def __init__(self, root: Path, targets: Callable[[], list], workers: int):
        self.root = root  # the workspace, whose picture cache is filled
        self.targets = targets  # images.Target of the formats made, asked for when a picture needs them
        self.workers = workers
        self.work = None  # images' work on it, once a picture is decoded for it: `close(cancel)` waits for it


current: Request | None = None


@contextlib.contextmanager
def processing_ahead(root: Path, targets: Callable[[], list], workers: int):
    """Within this block, a new picture the item check decodes is processed for `targets()` into the
    workspace's cache from that very decode, `workers` at a time, while the checks go on.

    A build so decodes each new photo once, not once to check it and again to
    process it. Leaving the block waits for the pictures begun (on an error,
    only for those already being made).
    """
    global current
    request = current = Request(root, targets, workers)
    done = False
    try:
        yield
        done = True
    finally:
        current = None
        if request.work is not None:
            request.work.close(cancel=not done)
