#!/usr/bin/env python3
"""qrdecode.py - find the QR code drawn with half blocks in a captured
output (stdin) and decode it with zbarimg; print what it holds.

The block is the longest run of consecutive lines made only of U+2588,
U+2580, U+2584 and spaces (a carriage return and an "optt: " prefix
ignored), all of one width.  It is redrawn as a PGM picture - a painted
half a light module, an unpainted one dark, every module 6x6 pixels -
with a DARK border, so that only the quiet zone the program drew can
serve as one (checked too: the two outer module rows and columns all
light).  zbarimg reads dark modules on light.

  qrdecode.py [--modules]   (--modules: print the module matrix instead,
                             1 = dark, to compare with qrencode's)
Exit 1, saying why on stderr, when there is no block or it does not decode.
"""
import os
import subprocess
import sys
import tempfile

FULL, UPPER, LOWER = "\u2588", "\u2580", "\u2584"
GLYPHS = {" ": (0, 0), UPPER: (1, 0), LOWER: (0, 1), FULL: (1, 1)}  # (top, bottom) light


def block(text):
    best, run = [], []
    for line in text.replace("\r", "").split("\n"):
        if line.startswith("optt: "):
            line = line[6:]
        if line and all(ch in GLYPHS for ch in line) and line.strip():
            if run and len(line) != len(run[0]):
                run = []
            run.append(line)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best


def modules(lines):
    """rows of light(1)/dark(0) modules, two per text row"""
    rows = []
    for line in lines:
        top = [GLYPHS[ch][0] for ch in line]
        bottom = [GLYPHS[ch][1] for ch in line]
        rows += [top, bottom]
    return rows


def main():
    lines = block(sys.stdin.read())
    if len(lines) < 10:
        sys.stderr.write("qrdecode: no QR block in the input\n")
        return 1
    rows = modules(lines)
    w = len(rows[0])
    # an odd module count: the last text row's lower half is outside, unpainted
    if all(v == 0 for v in rows[-1]):
        rows = rows[:-1]
    quiet = 2
    if not all(all(rows[r]) for r in list(range(quiet)) + list(range(len(rows) - quiet, len(rows)))) or \
            not all(all(row[:quiet]) and all(row[-quiet:]) for row in rows):
        sys.stderr.write("qrdecode: no light quiet zone of %d modules around the code\n" % quiet)
        return 1
    if "--modules" in sys.argv:
        for row in rows:
            print("".join("0" if v else "1" for v in row))
        return 0
    scale, border = 6, 4
    h = len(rows)
    pw, ph = (w + 2 * border) * scale, (h + 2 * border) * scale
    px = bytearray(pw * ph)  # dark everywhere: the border is dark
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v:
                for y in range((r + border) * scale, (r + border + 1) * scale):
                    start = y * pw + (c + border) * scale
                    px[start:start + scale] = b"\xff" * scale
    fd, path = tempfile.mkstemp(suffix=".pgm")
    try:
        os.write(fd, b"P5\n%d %d\n255\n" % (pw, ph) + bytes(px))
        os.close(fd)
        p = subprocess.run(["zbarimg", "-q", "--raw", "--nodbus", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if p.returncode != 0 or not p.stdout.strip():
        sys.stderr.write("qrdecode: zbarimg decodes nothing (exit %d): %s\n" % (p.returncode, p.stderr.strip()))
        return 1
    sys.stdout.write(p.stdout.rstrip("\n") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
