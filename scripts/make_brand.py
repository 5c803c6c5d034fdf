"""Draw the brand images (custom_components/bellas_reef/brand/icon.png, icon@2x.png, logo.png).

Run in the project environment: ``scripts/brand``. Drawn here from shapes, so the artwork is our own.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SCALE = 4  # draw large, then downsample for smooth edges
BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "bellas_reef" / "brand"


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def draw_mark(size: int) -> Image.Image:
    """The mark: a round tank of water lit from above, with a branching coral and bubbles."""
    big = size * SCALE
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    water = Image.new("RGBA", (big, big))
    top, bottom = (38, 198, 218), (8, 48, 107)
    pixels = ImageDraw.Draw(water)
    for y in range(big):
        pixels.line([(0, y), (big, y)], fill=(*_mix(top, bottom, y / big), 255))
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).ellipse([0, 0, big - 1, big - 1], fill=255)
    img.paste(water, (0, 0), mask)
    draw = ImageDraw.Draw(img)
    # light rays from the LED bar
    rays = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ray_draw = ImageDraw.Draw(rays)
    for i, dx in enumerate((-0.28, -0.1, 0.08, 0.26)):
        cx = big * (0.5 + dx)
        ray_draw.polygon(
            [
                (cx - big * 0.03, 0),
                (cx + big * 0.03, 0),
                (cx + big * (0.09 + 0.02 * i), big),
                (cx - big * 0.02, big),
            ],
            fill=(255, 255, 220, 38),
        )
    img.alpha_composite(Image.composite(rays, Image.new("RGBA", (big, big)), mask))
    # coral: a few branching strokes
    coral = (255, 111, 97, 255)
    width = round(big * 0.045)

    def branch(x: float, y: float, angle: float, length: float, depth: int) -> None:
        x2 = x + math.cos(angle) * length
        y2 = y - math.sin(angle) * length
        draw.line([(x, y), (x2, y2)], fill=coral, width=max(2, round(width * (0.72 ** (3 - depth)))))
        draw.ellipse([x2 - width / 2, y2 - width / 2, x2 + width / 2, y2 + width / 2], fill=coral)
        if depth > 0:
            branch(x2, y2, angle + 0.45, length * 0.72, depth - 1)
            branch(x2, y2, angle - 0.4, length * 0.7, depth - 1)

    branch(big * 0.5, big * 0.9, math.pi / 2, big * 0.2, 3)
    # sand
    draw.chord([big * 0.05, big * 0.78, big * 0.95, big * 1.2], 180, 360, fill=(242, 214, 160, 255))
    # bubbles
    for bx, by, r in ((0.74, 0.42, 0.035), (0.79, 0.3, 0.025), (0.72, 0.2, 0.018)):
        draw.ellipse(
            [big * (bx - r), big * (by - r), big * (bx + r), big * (by + r)],
            outline=(255, 255, 255, 220),
            width=max(2, round(big * 0.008)),
        )
    clipped = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    clipped.paste(img, (0, 0), mask)
    return clipped.filter(ImageFilter.SMOOTH).resize((size, size), Image.Resampling.LANCZOS)


def draw_logo(height: int) -> Image.Image:
    """The logo: the mark with the name beside it."""
    mark = draw_mark(height)
    font = ImageFont.load_default(size=round(height * 0.34))
    text = "Bella's Reef"
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), text, font=font)
    width = height + round(height * 0.12) + (right - left) + round(height * 0.05)
    logo = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    logo.alpha_composite(mark, (0, 0))
    ImageDraw.Draw(logo).text(
        (height + round(height * 0.12) - left, (height - (bottom - top)) / 2 - top),
        text,
        font=font,
        fill=(8, 48, 107, 255),
    )
    return logo


def main() -> None:
    """Write the images."""
    BRAND.mkdir(parents=True, exist_ok=True)
    draw_mark(256).save(BRAND / "icon.png", optimize=True)
    draw_mark(512).save(BRAND / "icon@2x.png", optimize=True)
    draw_logo(256).save(BRAND / "logo.png", optimize=True)


if __name__ == "__main__":
    main()
