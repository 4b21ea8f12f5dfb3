"""PDF from a small HTML template, with fpdf2 (pure Python: no system libraries to install).

fpdf2's ``write_html`` lays out a subset of HTML (headings, paragraphs, lists, b/i, font), so PDF
reports have their own template with only those tags. The fonts are the DejaVu Sans files that
matplotlib ships (already a dependency), so curly quotes, arrows and accents print as typed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import TextStyle

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
MARGIN_MM = 18
TAG_STYLES = {
    "h1": TextStyle(color="#17405a", font_size_pt=16, t_margin=0, b_margin=1),
    "h2": TextStyle(color="#2a6f97", font_size_pt=12, t_margin=3, b_margin=0.5),
    "ul": TextStyle(t_margin=0.5),
    "li": TextStyle(l_margin=4, t_margin=0.5),
}


def html_to_pdf(html: str, *, title: str) -> bytes:
    """A letter-size PDF of ``html`` (fpdf2's HTML subset)."""
    pdf = FPDF(format="letter")
    pdf.set_title(title)
    pdf.set_creator("copbot")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.add_font(FONT, "I", FONT_DIR / "DejaVuSans-Oblique.ttf")
    pdf.add_font(FONT, "BI", FONT_DIR / "DejaVuSans-BoldOblique.ttf")
    pdf.add_page()
    pdf.set_font(FONT, size=10)
    pdf.write_html(html, font_family=FONT, tag_styles=TAG_STYLES, li_prefix_color="#2a6f97")
    return bytes(pdf.output())
