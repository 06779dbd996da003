"""How fast the document readers are, measured against what they feed: the analysis.

Generates a typical 30-page tender (headings, prose, requirement tables) as .docx and .pdf in a
temporary folder, reads each several times and reports pages/s and MB/s. When the engine is
available it also times analysing the extracted text and prints reading/analysis: reading should
cost less than analysing (ratio < 1). Only ratios are meaningful across machines, so nothing here
asserts an absolute time.

    python benchmarks/bench_readers.py [--pages 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tilint.document import Document
from tilint.readers import read_document

_VOCABULARY = (
    "the provider will work alongside families children and young people in the borough to deliver "
    "support that is responsive trauma-informed and strengths-based building on what people already do "
    "well and on the relationships they value so that services are shaped with them commissioning "
    "outcomes evidence partnership quality assurance safeguarding contract value mobilisation social "
    "value community assets peer support co-production hard to reach vulnerable adults"
)
_WORDS = _VOCABULARY.split()
_SECTIONS = [
    "Introduction",
    "Background and context",
    "Service specification",
    "Outcomes framework",
    "Safeguarding",
    "Social value",
    "Contract management",
    "Pricing schedule",
]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(12, 28))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _content(pages: int, seed: int = 7) -> list[tuple[str, object]]:
    """A tender outline of ("h", title), ("p", text) and ("t", rows) blocks.

    About 540 words make a page in fpdf2's layout, so `pages` is close to the PDF's page count.
    """
    rng = random.Random(seed)
    blocks: list[tuple[str, object]] = []
    words = 0
    target = pages * 540
    section = 0
    while words < target:
        blocks.append(("h", f"{section + 1}. {_SECTIONS[section % len(_SECTIONS)]}"))
        section += 1
        for _ in range(rng.randint(4, 8)):
            text = _paragraph(rng)
            blocks.append(("p", text))
            words += len(text.split())
        rows = [[f"Requirement {section}.{r}", _sentence(rng), f"{rng.randint(1, 20)}%"] for r in range(1, 5)]
        blocks.append(("t", rows))
        words += sum(len(" ".join(row).split()) for row in rows)
    return blocks


def make_docx(blocks: list[tuple[str, object]]) -> bytes:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Family Support Service - Invitation to Tender"
    document.sections[0].footer.paragraphs[0].text = "Official"
    for kind, value in blocks:
        if kind == "h":
            document.add_heading(str(value), 1)
        elif kind == "p":
            document.add_paragraph(str(value))
        else:
            rows = value  # type: ignore[assignment]
            table = document.add_table(rows=len(rows), cols=3)
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(blocks: list[tuple[str, object]]) -> tuple[bytes, int]:
    from fpdf import FPDF

    class Tender(FPDF):
        def header(self) -> None:
            self.set_font("helvetica", size=8)
            self.cell(0, 6, "Family Support Service - Invitation to Tender", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", size=8)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = Tender()
    pdf.add_page()
    for kind, value in blocks:
        if kind == "h":
            pdf.set_font("helvetica", "B", 14)
            pdf.multi_cell(0, 8, str(value), new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("helvetica", size=11)
            pdf.multi_cell(0, 5.5, str(value), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("helvetica", size=9)
            for row in value:  # type: ignore[attr-defined]
                pdf.multi_cell(0, 5, "   |   ".join(row), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output()), pdf.page


def _best(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def _analyser() -> Callable[[Document], object] | None:
    if importlib.util.find_spec("tilint.engine") is None:
        return None
    try:
        from tilint.engine import Linter
        from tilint.ruleset import load_ruleset

        linter = Linter(load_ruleset())
        linter.check(Document(path="warm-up", text="Warm up the pipeline with hard to reach families."))
    except Exception as exc:  # the engine is optional here; report and carry on with reading only
        print(f"(engine not usable, skipping analysis timing: {exc})")
        return None
    return linter.check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30, help="pages in the generated tender")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    args = parser.parse_args(argv)

    blocks = _content(args.pages)
    pdf_data, pdf_pages = make_pdf(blocks)
    docx_data = make_docx(blocks)
    analyse = _analyser()
    print(f"generated tender: {len(blocks)} blocks, {pdf_pages} PDF pages")
    columns = ("format", "size MB", "read s", "pages/s", "MB/s", "analyse s", "read/analyse")
    widths = (-6, 8, 8, 9, 7, 10, 13)
    print(" ".join(f"{c:<{-w}}" if w < 0 else f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    with tempfile.TemporaryDirectory() as folder:
        for suffix, data in ((".docx", docx_data), (".pdf", pdf_data)):
            path = Path(folder) / f"tender{suffix}"
            path.write_bytes(data)
            read_time, document = _best(lambda p=path: read_document(p), args.repeat)
            assert isinstance(document, Document)
            size_mb = len(data) / 1_000_000
            pages = pdf_pages  # the same content; Word would lay it out on about as many pages
            line = (
                f"{suffix[1:]:<6} {size_mb:>8.2f} {read_time:>8.3f} {pages / read_time:>9.1f} "
                f"{size_mb / read_time:>7.2f}"
            )
            if analyse is not None:
                analyse_time, _ = _best(lambda d=document: analyse(d), args.repeat)
                ratio = read_time / analyse_time if analyse_time else float("inf")
                verdict = "ok" if ratio < 1 else "READING COSTS MORE THAN ANALYSIS"
                line += f" {analyse_time:>10.3f} {ratio:>13.2f}  {verdict}"
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
