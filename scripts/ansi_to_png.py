#!/usr/bin/env python3
"""Turns a `tmux capture-pane -e -p` dump (text with SGR color codes) into a PNG.

Usage: ansi_to_png.py INPUT.ansi OUTPUT.png [--columns N] [--light]
(--light: a terminal with a light background, as the light theme expects)
Needs Pillow and DejaVu Sans Mono (Debian: fonts-dejavu-core); wide characters use a CJK font
when one is installed (fonts-wqy-zenhei), emoji are drawn as a neutral box.
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
WIDE_FONTS = ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]
SIZE = 16
DEFAULT_FG = (208, 208, 208)
DEFAULT_BG = (28, 28, 30)
BASE = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
        (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]


def palette(index):
    if index < 16:
        return BASE[index]
    if index >= 232:
        value = 8 + 10 * (index - 232)
        return (value, value, value)
    index -= 16
    levels = [0, 95, 135, 175, 215, 255]
    return (levels[index // 36], levels[index // 6 % 6], levels[index % 6])


def char_width(char):
    if unicodedata.combining(char):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1


def parse(text):
    """Yields rows of (char, fg, bg, bold, underline, dim)."""
    rows = []
    state = {"fg": None, "bg": None, "bold": False, "underline": False, "reverse": False, "dim": False}
    for line in text.split("\n"):
        row = []
        position = 0
        for match in re.finditer(r"\x1b\[([0-9;:]*)m|\x1b\[[0-9;?]*[A-Za-z]|([^\x1b])", line):
            if match.group(2) is not None:
                char = match.group(2)
                fg, bg = state["fg"], state["bg"]
                if state["reverse"]:
                    fg, bg = (bg or DEFAULT_BG), (fg or DEFAULT_FG)
                row.append((char, fg or DEFAULT_FG, bg or DEFAULT_BG, state["bold"], state["underline"], state["dim"]))
                continue
            if match.group(1) is None:
                continue
            codes = [int(code) if code else 0 for code in re.split(r"[;:]", match.group(1) or "0")]
            index = 0
            while index < len(codes):
                code = codes[index]
                if code == 0:
                    state = {"fg": None, "bg": None, "bold": False, "underline": False, "reverse": False, "dim": False}
                elif code == 1:
                    state["bold"] = True
                elif code == 2:
                    state["dim"] = True
                elif code == 4:
                    state["underline"] = True
                elif code == 7:
                    state["reverse"] = True
                elif code == 22:
                    state["bold"] = state["dim"] = False
                elif code == 24:
                    state["underline"] = False
                elif code == 27:
                    state["reverse"] = False
                elif 30 <= code <= 37:
                    state["fg"] = BASE[code - 30]
                elif 90 <= code <= 97:
                    state["fg"] = BASE[code - 90 + 8]
                elif 40 <= code <= 47:
                    state["bg"] = BASE[code - 40]
                elif 100 <= code <= 107:
                    state["bg"] = BASE[code - 100 + 8]
                elif code == 39:
                    state["fg"] = None
                elif code == 49:
                    state["bg"] = None
                elif code in (38, 48) and index + 1 < len(codes):
                    key = "fg" if code == 38 else "bg"
                    if codes[index + 1] == 5 and index + 2 < len(codes):
                        state[key] = palette(codes[index + 2])
                        index += 2
                    elif codes[index + 1] == 2 and index + 4 < len(codes):
                        state[key] = tuple(codes[index + 2:index + 5])
                        index += 4
                index += 1
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def render(rows, columns, output):
    font = ImageFont.truetype(FONT, SIZE)
    bold = ImageFont.truetype(FONT_BOLD, SIZE)
    wide = None
    for path in WIDE_FONTS:
        try:
            wide = ImageFont.truetype(path, SIZE)
            break
        except OSError:
            continue
    cell = int(round(font.getlength("M")))
    height = SIZE + 4
    image = Image.new("RGB", (columns * cell + 16, len(rows) * height + 16), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        x = 0
        for char, fg, bg, is_bold, underline, dim in row:
            width = char_width(char)
            if width == 0:
                continue
            left, top = 8 + x * cell, 8 + y * height
            draw.rectangle([left, top, left + width * cell - 1, top + height - 1], fill=bg)
            color = tuple(int(f * 0.65 + b * 0.35) for f, b in zip(fg, bg)) if dim else fg
            if 0x2581 <= ord(char) <= 0x2588:
                # Eighth blocks as exact rectangles, so stacked bars join without gaps.
                filled = int(height * (ord(char) - 0x2580) / 8)
                draw.rectangle([left, top + height - filled, left + width * cell - 1, top + height - 1], fill=color)
            elif ord(char) >= 0x1F000:
                draw.rectangle([left + 2, top + 3, left + width * cell - 3, top + height - 4], outline=color)
            elif width == 2 and wide is not None:
                draw.text((left, top + 1), char, font=wide, fill=color)
            else:
                draw.text((left, top + 1), char, font=bold if is_bold else font, fill=color)
            if underline:
                draw.line([left, top + height - 2, left + width * cell - 1, top + height - 2], fill=color)
            x += width
    image.save(output)


def main():
    global DEFAULT_FG, DEFAULT_BG
    if len(sys.argv) < 3:
        sys.exit("usage: ansi_to_png.py INPUT.ansi OUTPUT.png [--columns N] [--light]")
    if "--light" in sys.argv:
        DEFAULT_FG, DEFAULT_BG = (40, 40, 40), (250, 250, 246)
    with open(sys.argv[1], encoding="utf-8") as handle:
        rows = parse(handle.read())
    columns = int(sys.argv[sys.argv.index("--columns") + 1]) if "--columns" in sys.argv else max(
        (sum(char_width(cell[0]) for cell in row) for row in rows), default=80)
    render(rows, columns, sys.argv[2])


if __name__ == "__main__":
    main()
