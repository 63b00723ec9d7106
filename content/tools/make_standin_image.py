"""Draw the stand-in picture for the 泸县 sample issue (2017年第9期).

The sample lost its photo of the 天府杯 contest final; this script draws a
simple stage scene instead: a dark gradient hall, a lit stage with a backdrop
screen, spotlight cones, a speaker at a lectern and rows of audience heads.
Pillow only, no fonts, no randomness, so every run writes the same PNG.

Run from the repository root:  python3 content/tools/make_standin_image.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 1000
OUT = Path(__file__).resolve().parent.parent / "images" / "luxian" / "tianfubei-final.png"


def lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def vertical_gradient(draw, box, top, bottom, step=4):
    """Fill box with a top-to-bottom gradient drawn in bands of `step` pixels."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    for y in range(y0, y1, step):
        draw.rectangle([x0, y, x1, min(y + step, y1)], fill=lerp(top, bottom, (y - y0) / h))


def main():
    img = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(img)

    # Hall: deep blue at the ceiling to dark purple at the floor.
    vertical_gradient(draw, (0, 0, WIDTH, HEIGHT), (12, 18, 48), (40, 16, 40))

    # Backdrop screen with a red gradient and a gold frame.
    screen = (260, 90, 1340, 500)
    vertical_gradient(draw, screen, (200, 30, 30), (120, 10, 20))
    draw.rectangle(screen, outline=(230, 180, 60), width=8)
    # Placeholder "banner text" bars (no font needed).
    draw.rectangle([420, 180, 1180, 230], fill=(250, 215, 90))
    draw.rectangle([520, 270, 1080, 300], fill=(245, 225, 160))
    draw.rectangle([600, 330, 1000, 352], fill=(245, 225, 160))

    # Stage platform and its front edge.
    draw.polygon([(120, 560), (1480, 560), (1560, 680), (40, 680)], fill=(70, 50, 60))
    draw.rectangle([40, 680, 1560, 720], fill=(150, 30, 35))
    draw.line([(120, 560), (1480, 560)], fill=(230, 180, 60), width=4)

    # Spotlight cones, blended onto the scene.
    light = Image.new("RGB", (WIDTH, HEIGHT), (255, 244, 200))
    for cx, spread in ((560, 180), (1040, 180), (800, 230)):
        mask = Image.new("L", (WIDTH, HEIGHT), 0)
        ImageDraw.Draw(mask).polygon(
            [(cx - 20, 0), (cx + 20, 0), (cx + spread, 650), (cx - spread, 650)], fill=55
        )
        img = Image.composite(light, img, mask)
    draw = ImageDraw.Draw(img)

    # Speaker at a lectern, centre stage.
    draw.ellipse([775, 420, 825, 470], fill=(235, 200, 170))      # head
    draw.rectangle([765, 470, 835, 560], fill=(30, 30, 40))        # suit
    draw.polygon([(730, 520), (870, 520), (850, 640), (750, 640)], fill=(120, 70, 40))  # lectern
    draw.rectangle([780, 545, 820, 575], fill=(230, 180, 60))      # lectern badge

    # Judges' table at stage left.
    draw.rectangle([180, 600, 520, 650], fill=(240, 240, 240))
    for x in (230, 320, 410):
        draw.ellipse([x, 545, x + 40, 585], fill=(225, 190, 160))
        draw.rectangle([x - 5, 585, x + 45, 605], fill=(40, 45, 60))

    # Audience: rows of heads and shoulders, darker towards the camera.
    for row, y in enumerate((760, 840, 920)):
        shade = 45 - row * 12
        offset = 40 if row % 2 else 0
        for x in range(20 + offset, WIDTH, 80):
            draw.ellipse([x, y, x + 50, y + 50], fill=(shade, shade, shade + 10))
            draw.ellipse([x - 15, y + 40, x + 65, y + 120], fill=(shade, shade, shade + 10))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    # A palette image keeps the banded gradients small on disk.
    img.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        OUT, format="PNG", optimize=True
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
