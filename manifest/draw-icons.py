#!/usr/bin/env python3
"""Draws the Doberman mark into the Teams app icons, with the standard library only.

color.png   192x192: a rust-coloured Doberman head with its cropped ears on the accent colour, full bleed.
outline.png 32x32:   the same head in white on a transparent background (what Teams asks of outline icons).

Run from anywhere: `python3 manifest/draw-icons.py`; it rewrites both files beside itself.
"""
import pathlib
import struct
import zlib

ACCENT = (0x2B, 0x2F, 0x3A)  # the manifest's accentColor, #2B2F3A
RUST = (0xC4, 0x6A, 0x2B)

# The head, front on, in a unit square (y down): cropped ears, cheeks, the long muzzle.
HEAD = [
    (0.50, 0.34), (0.68, 0.39), (0.77, 0.05), (0.84, 0.43), (0.81, 0.56), (0.65, 0.79),
    (0.57, 0.94), (0.43, 0.94), (0.35, 0.79), (0.19, 0.56), (0.16, 0.43), (0.23, 0.05),
    (0.32, 0.39),
]
EYES = [(0.39, 0.55, 0.045), (0.61, 0.55, 0.045)]
NOSE = [(0.45, 0.86), (0.55, 0.86), (0.50, 0.92)]


def inside(poly, x, y):
    hit = False
    for i in range(len(poly)):
        (x1, y1), (x2, y2) = poly[i], poly[i - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def coverage(size, x, y, shape, samples=4):
    """How much of pixel (x, y) `shape(u, v)` covers, by supersampling."""
    n = 0
    for i in range(samples):
        for j in range(samples):
            u = (x + (i + 0.5) / samples) / size
            v = (y + (j + 0.5) / samples) / size
            n += shape(u, v)
    return n / (samples * samples)


def head(u, v):
    return inside(HEAD, u, v)


def features(u, v):
    return any((u - x) ** 2 + (v - y) ** 2 <= r * r for x, y, r in EYES) or inside(NOSE, u, v)


def png(path, size, pixel):
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(size)) for y in range(size)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # RGBA, 8 bits
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    )


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def color_pixel(x, y):
    h = coverage(192, x, y, head)
    f = coverage(192, x, y, features)
    rgb = mix(mix(ACCENT, RUST, h), ACCENT, f)
    return (*rgb, 255)


def outline_pixel(x, y):
    h = coverage(32, x, y, head)
    f = coverage(32, x, y, features)
    return (255, 255, 255, round(255 * max(0.0, h - f)))


here = pathlib.Path(__file__).resolve().parent
png(here / "color.png", 192, color_pixel)
png(here / "outline.png", 32, outline_pixel)
