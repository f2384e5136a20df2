"""Makes assets/fonts/heatmap.otf, the font the `airflow heatmap` image is drawn with: Noto Sans CJK KR Regular
(SIL Open Font License 1.1, see OFL.txt) cut down to the characters the image writes (GLYPHS in
src/cards/heatmap.rs) and renamed DobermanHeatmap, as the license asks of a modified font. The binary carries a
few kilobytes instead of 16 MB and needs no font on the server. Run it again after changing what the image writes.
Needs Debian's fonts-noto-cjk and fonttools (pip install fonttools==4.55.3):
    python assets/fonts/subset.py"""
import pathlib
import re

from fontTools import subset
from fontTools.ttLib import TTCollection

here = pathlib.Path(__file__).resolve().parent
source = (here / "../../src/cards/heatmap.rs").read_text(encoding="utf-8")
glyphs = re.search(r'^pub const GLYPHS: &str = "(.*)";$', source, re.M).group(1)
font = TTCollection("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").fonts[1]  # Noto Sans CJK KR
assert font["name"].getDebugName(4) == "Noto Sans CJK KR", font["name"].getDebugName(4)
options = subset.Options()
options.layout_features = []
options.hinting = False
options.desubroutinize = True
options.name_IDs = []
subsetter = subset.Subsetter(options)
subsetter.populate(text=glyphs)
subsetter.subset(font)
name = font["name"]
for record_id, value in [(0, "Subset of Noto Sans CJK KR: Copyright 2014-2021 Adobe and Google; SIL OFL 1.1"),
                         (1, "DobermanHeatmap"), (2, "Regular"), (4, "DobermanHeatmap"), (6, "DobermanHeatmap")]:
    name.setName(value, record_id, 3, 1, 0x409)
font["CFF "].cff.fontNames = ["DobermanHeatmap"]
out = here / "heatmap.otf"
font.save(out)
print(out, out.stat().st_size, "bytes,", len(set(glyphs)), "characters")
