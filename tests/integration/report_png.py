#!/usr/bin/env python3
"""Check a screenshot of a podscope report: inside the chart's plot (found
by its background colour) there are pixels of each colour named. Decodes
the PNG with the standard library only (zlib). Exit 0 when every colour is
there, 1 with what is missing, 2 when the file is not a PNG this reads.

usage: report_png.py SHOT.png PLOT_BG COLOUR...   (colours as #rrggbb)
"""
import struct
import sys
import zlib


def rgb(h):
    h = h.lstrip('#')
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def decode(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        elif kind == b'IEND':
            break
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError('PNG kind %d/%d/%d not read' % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def near(px, want, tol=3):
    return all(abs(px[i] - want[i]) <= tol for i in range(3))


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        w, h, bpp, rows = decode(sys.argv[1])
    except (OSError, ValueError, TypeError, zlib.error) as e:
        print('report_png: %s: %s' % (sys.argv[1], e), file=sys.stderr)
        return 2
    bg = rgb(sys.argv[2])
    want = [rgb(c) for c in sys.argv[3:]]
    x0, y0, x1, y1 = w, h, -1, -1
    for y in range(h):
        line = rows[y]
        for x in range(w):
            if near(line[x * bpp:x * bpp + 3], bg, 1):
                x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
    if x1 < 0:
        print('report_png: no chart (background %s) in the screenshot' % sys.argv[2])
        return 1
    counts = [0] * len(want)
    for y in range(y0, y1 + 1):
        line = rows[y]
        for x in range(x0, x1 + 1):
            px = line[x * bpp:x * bpp + 3]
            for i, c in enumerate(want):
                if near(px, c):
                    counts[i] += 1
    print('report_png: chart at %d,%d-%d,%d; pixels %s' %
          (x0, y0, x1, y1, ', '.join('%s=%d' % (c, n) for c, n in zip(sys.argv[3:], counts))))
    missing = [c for c, n in zip(sys.argv[3:], counts) if n < 20]
    if missing:
        print('report_png: not in the chart: %s' % ' '.join(missing))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
