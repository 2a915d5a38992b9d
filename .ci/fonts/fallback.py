#!/usr/bin/env python3
"""The metrics of the theme's fallback faces for Noto Naskh Arabic (issue 21).

Until the web font arrives, Arabic text is drawn with a font the reader already has; when the
web font takes over, nothing may move. So each fallback face is a local font scaled to the web
font: `size-adjust` makes its Arabic words as wide as the web font's, and the three overrides
give it the web font's ascent, descent and line gap. This script computes them from the real
font files:

  - width: the words of a sample text (the theme's interface strings in the Arabic-script
    languages it ships, Arabic, Persian and Urdu, which every page in them shows, and the first three articles of the Universal Declaration of Human Rights, a
    text of ordinary prose) are shaped with HarfBuzz, as a browser shapes them, in both fonts;
    `size-adjust` is the ratio of their total advances. The spaces between the words count:
    both faces' unicode-range has U+0020, so that each is the first available font of Arabic
    text (the one whose ascent and descent make the height of its lines) in its phase;
  - height: the web font's hhea ascent, descent and line gap (which its OS/2 typo metrics
    repeat, USE_TYPO_METRICS being set), divided by size-adjust, because the overrides apply
    to the adjusted size (CSS Fonts 5, and what Chromium does).

  python3 .ci/fonts/fallback.py           prints the @font-face descriptors
  python3 .ci/fonts/fallback.py --check   fails unless style.css has them
  python3 .ci/fonts/fallback.py --write   writes them into style.css

Needs fontTools, brotli (to read WOFF2) and uharfbuzz: pip install fonttools brotli uharfbuzz.
The local fonts are Debian's fonts-noto-core.
"""

import re
import sys
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "themes/default"
STYLE = THEME / "static/style.css"
WEB = THEME / "static/fonts/noto-naskh-arabic-arabic-{}-normal.woff2"
# The fallback faces: (weight, the local font's names in `src: local()`, its file here):
# Noto Naskh Arabic itself, as systems have it (an older version), then Noto Sans Arabic.
NOTO = Path("/usr/share/fonts/truetype/noto")
FALLBACKS = [
    (400, ["Noto Naskh Arabic", "NotoNaskhArabic-Regular"], NOTO / "NotoNaskhArabic-Regular.ttf"),
    (700, ["Noto Naskh Arabic Bold", "NotoNaskhArabic-Bold"], NOTO / "NotoNaskhArabic-Bold.ttf"),
    (400, ["Noto Sans Arabic", "NotoSansArabic-Regular"], NOTO / "NotoSansArabic-Regular.ttf"),
    (700, ["Noto Sans Arabic Bold", "NotoSansArabic-Bold"], NOTO / "NotoSansArabic-Bold.ttf"),
]

# The theme's languages written in Arabic script, whose pages the web font draws.
ARABIC_SCRIPT = ["ar", "fa", "ur"]

# UDHR, articles 1 to 3, in the United Nations' Arabic text.
UDHR = """
يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا وعليهم أن يعامل
بعضهم بعضًا بروح الإخاء. لكل إنسان حق التمتع بكافة الحقوق والحريات الواردة في هذا الإعلان،
دون أي تمييز، كالتمييز بسبب العنصر أو اللون أو الجنس أو اللغة أو الدين أو الرأي السياسي أو أي
رأي آخر، أو الأصل الوطني أو الاجتماعي أو الثروة أو الميلاد أو أي وضع آخر، دون أية تفرقة بين
الرجال والنساء. وفضلاً عما تقدم فلن يكون هناك أي تمييز أساسه الوضع السياسي أو القانوني أو
الدولي لبلد أو البقعة التي ينتمي إليها الفرد سواء كان هذا البلد أو تلك البقعة مستقلاً أو تحت
الوصاية أو غير متمتع بالحكم الذاتي أو كانت سيادته خاضعة لأي قيد من القيود. لكل فرد الحق في
الحياة والحرية وسلامة شخصه.
"""


def sample():
    """Runs of Arabic words and the spaces between them: what the web font's unicode-range
    gives it to draw."""
    values = []
    for language in ARABIC_SCRIPT:
        strings = (THEME / f"i18n/{language}.yaml").read_text(encoding="utf-8")
        values += [line.split(":", 1)[1] for line in strings.splitlines() if ":" in line and not line.startswith("#")]
    text = " ".join(values) + " " + UDHR
    arabic = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
    return [run.strip() for run in re.findall(rf"[{arabic}][{arabic} ]*", " ".join(text.split()))]


def advance(path, runs):
    """The runs' total advance in em, shaped right to left as Arabic."""
    blob = hb.Blob.from_file_path(str(path)) if path.suffix != ".woff2" else None
    if blob is None:
        # HarfBuzz reads TrueType; the WOFF2 is unpacked first.
        font = TTFont(path)
        font.flavor = None
        from io import BytesIO

        data = BytesIO()
        font.save(data)
        blob = hb.Blob(data.getvalue())
    face = hb.Face(blob)
    font = hb.Font(face)
    total = 0
    for run in runs:
        buf = hb.Buffer()
        buf.add_str(run)
        buf.direction = "rtl"
        buf.script = "Arab"
        buf.language = "ar"
        hb.shape(font, buf, {})
        total += sum(p.x_advance for p in buf.glyph_positions)
    return total / face.upem


def descriptors():
    words = sample()
    faces = []
    for weight, names, local in FALLBACKS:
        web = WEB.with_name(WEB.name.format(weight))
        size = advance(web, words) / advance(local, words)
        metrics = TTFont(web)
        upm = metrics["head"].unitsPerEm
        hhea = metrics["hhea"]
        faces.append(
            {
                "weight": weight,
                "src": ", ".join(f'local("{n}")' for n in names),
                "size-adjust": f"{size * 100:.2f}%",
                "ascent-override": f"{hhea.ascent / upm / size * 100:.2f}%",
                "descent-override": f"{-hhea.descent / upm / size * 100:.2f}%",
                "line-gap-override": f"{hhea.lineGap / upm / size * 100:.2f}%",
            }
        )
    return faces


def main():
    faces = descriptors()
    if "--check" not in sys.argv and "--write" not in sys.argv:
        for face in faces:
            print(f"font-weight {face['weight']}: src: {face['src']};")
            for key in ("size-adjust", "ascent-override", "descent-override", "line-gap-override"):
                print(f"  {key}: {face[key]};")
        return 0
    css = STYLE.read_text(encoding="utf-8")
    if "--write" in sys.argv:
        for face in faces:
            def update(block, face=face):
                text = block.group(0)
                if face["src"] not in text:
                    return text
                for key in ("size-adjust", "ascent-override", "descent-override", "line-gap-override"):
                    text = re.sub(rf"{key}:[^;]*;", f"{key}: {face[key]};", text)
                return text
            css = re.sub(r"@font-face\s*{[^}]*}", update, css)
        STYLE.write_text(css, encoding="utf-8")
    blocks = re.findall(r"@font-face\s*{([^}]*)}", css)
    wrong = []
    for face in faces:
        block = next((b for b in blocks if face["src"] in b), None)
        if block is None:
            wrong.append(f"no @font-face with src: {face['src']}")
            continue
        for key in ("size-adjust", "ascent-override", "descent-override", "line-gap-override"):
            if not re.search(rf"{key}:\s*{re.escape(face[key])}\s*;", block):
                wrong.append(f"{face['src']}: {key} should be {face[key]}")
    for line in wrong:
        print(f"style.css: {line}", file=sys.stderr)
    if not wrong:
        print("style.css: the fallback faces' metrics are those of the font files")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
