"""Draw minutes/assets/default-logo.png: a neutral placeholder mark.

A ring of six city nodes linked to a centre, in two blues. Drawn with the
standard library only (no Pillow in the venv, no downloaded artwork), so the
file can be regenerated anywhere:  python minutes/assets/make_default_logo.py
Callers put the real organisation logo in the record; this is for demos/tests.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZE = 192
SUPERSAMPLE = 3
NAVY = (0x1F, 0x3A, 0x68)
TEAL = (0x1B, 0x8A, 0xA6)


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _colour_at(x: float, y: float) -> tuple[int, int, int] | None:
    c = SIZE / 2
    r = math.hypot(x - c, y - c)
    nodes = [(c + 0.30 * SIZE * math.cos(a), c + 0.30 * SIZE * math.sin(a))
             for a in (math.pi / 2 + k * math.pi / 3 for k in range(6))]
    if any(math.hypot(x - nx, y - ny) < 0.065 * SIZE for nx, ny in nodes):
        return TEAL
    if r < 0.09 * SIZE:
        return NAVY
    if any(_segment_distance(x, y, c, c, nx, ny) < 0.018 * SIZE for nx, ny in nodes):
        return NAVY
    if 0.43 * SIZE < r < 0.48 * SIZE:
        return NAVY
    return None


def _pixel(x: int, y: int) -> bytes:
    hits: list[tuple[int, int, int]] = []
    for sy in range(SUPERSAMPLE):
        for sx in range(SUPERSAMPLE):
            colour = _colour_at(x + (sx + 0.5) / SUPERSAMPLE, y + (sy + 0.5) / SUPERSAMPLE)
            if colour:
                hits.append(colour)
    if not hits:
        return b"\x00\x00\x00\x00"
    rgb = [sum(h[i] for h in hits) // len(hits) for i in range(3)]
    alpha = 255 * len(hits) // SUPERSAMPLE**2
    return bytes((*rgb, alpha))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def render_png() -> bytes:
    rows = b"".join(b"\x00" + b"".join(_pixel(x, y) for x in range(SIZE)) for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b""))


if __name__ == "__main__":
    target = Path(__file__).with_name("default-logo.png")
    target.write_bytes(render_png())
    print(f"wrote {target}")
