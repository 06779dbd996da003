"""Make the screenshots of report.html shown in docs/audit.md.

    python docs/scripts/audit_screenshot.py            # writes docs/images/audit-summary*.png

It writes a sample of commissioning documents in six department folders (Word files with their
own creation dates, Markdown and text), audits it, changes the folder as a year of work would
(edits, a rename, a new and a removed document), audits it again with --compare, and photographs the
summary at the top of the second report in headless Chromium (Debian's /usr/bin/chromium driven by
playwright), at desktop width and at a phone's 390 pixels. Every document is made up here; nothing
is downloaded.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

DEPARTMENTS = {
    "Children's services": "children and young people",
    "Adult social care": "adults with care and support needs",
    "Community safety": "residents",
    "Public health": "people who use our services",
    "Housing": "tenants and families",
    "Youth justice": "young people",
}
OPENING = "This specification sets out how the council will commission support for {people} across the borough."
STRENGTHS = [
    "The service will build on the strengths, skills and aspirations that people bring.",
    "Support is trauma-informed: it offers choice, safety and collaboration at every stage.",
    "People with lived experience will help design and review the service.",
    "Workers will listen, explain each step and agree goals with each family.",
]
LABELS = [
    "Service users who are hard to reach will be targeted by the outreach team.",
    "Staff will manage challenging behaviour and report non-compliant clients.",
    "The provider will hold a caseload of 40 cases of troubled families.",
    "Clients who fail to engage will be discharged after three missed appointments.",
    "Offenders and perpetrators will be monitored by the case management team.",
]
RISK = [
    "Each referral is screened for risk, harm and threat to others.",
    "The risk assessment identifies harm, danger and offending behaviour.",
    "High-risk families will be escalated where the threat of harm is significant.",
]


def _text(rng: random.Random, people: str, labels: float, risk_only: bool) -> list[str]:
    paragraphs = [OPENING.format(people=people)]
    for _ in range(rng.randint(4, 9)):
        if risk_only:
            paragraphs.append(" ".join(rng.sample(RISK, 2)) + " " + rng.choice(LABELS))
        elif rng.random() < labels:
            paragraphs.append(rng.choice(LABELS) + " " + rng.choice(STRENGTHS))
        else:
            paragraphs.append(" ".join(rng.sample(STRENGTHS, 2)))
    return paragraphs


def _write(path: Path, paragraphs: list[str], year: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_heading(path.stem.replace("-", " ").capitalize(), level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        document.core_properties.created = datetime(year, 3, 1)
        document.core_properties.modified = datetime(year, 3, 2)
        document.save(path)
    else:
        path.write_text(f"# {path.stem.replace('-', ' ').capitalize()}\n\n" + "\n\n".join(paragraphs) + "\n")


def sample(folder: Path, seed: int = 3) -> None:
    """The first state of the folder: about 60 documents written between 2019 and 2023."""
    rng = random.Random(seed)
    for department, people in DEPARTMENTS.items():
        labels = 0.6 if department in ("Community safety", "Youth justice") else 0.3
        for index in range(rng.randint(8, 12)):
            year = rng.randint(2019, 2023)
            kind = rng.choice(["docx", "docx", "md", "txt"])
            name = f"{rng.choice(['specification', 'tender', 'strategy', 'framework'])}-{index + 1}.{kind}"
            risk_only = rng.random() < (0.25 if labels > 0.5 else 0.08)
            _write(
                folder / department / name, _text(rng, people, labels * (1.3 - (year - 2019) * 0.15), risk_only), year
            )


def change(folder: Path, seed: int = 4) -> None:
    """A year later: some documents rewritten, one renamed, one added, one removed."""
    rng = random.Random(seed)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files[::4]:  # rewritten in strengths-based language
        people = DEPARTMENTS[path.relative_to(folder).parts[0]]
        _write(path, _text(rng, people, 0.1, False), 2024)
    files[1].rename(files[1].with_name("renamed-" + files[1].name))
    files[2].unlink()
    _write(folder / "Housing" / "tender-2024.md", _text(rng, "tenants and families", 0.5, True), 2024)


def screenshots(report: Path, images: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"]
        )
        for name, width in (("audit-summary.png", 1100), ("audit-summary-phone.png", 390)):
            page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
            page.goto(report.as_uri())
            target = images / name
            page.locator("#summary").screenshot(path=str(target))
            written.append(target)
            page.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=Path, default=Path(__file__).resolve().parent.parent / "images")
    parser.add_argument("--keep", action="store_true", help="keep the sample folder and both audits")
    args = parser.parse_args()

    from tilint.audit import AuditConfig, run_audit
    from tilint.ruleset import load_ruleset

    base = Path(tempfile.mkdtemp(prefix="tilint-audit-sample-"))
    try:
        docs = base / "Commissioning"
        sample(docs)
        rules = load_ruleset()
        run_audit(AuditConfig(paths=[str(docs)], out=base / "2023-audit", ruleset=rules, progress="none", jobs=1))
        change(docs)
        config = AuditConfig(
            paths=[str(docs)],
            out=base / "2024-audit",
            ruleset=rules,
            progress="none",
            jobs=1,
            compare=base / "2023-audit",
        )
        run = run_audit(config)
        args.images.mkdir(parents=True, exist_ok=True)
        for path in screenshots(run.report, args.images):
            print(f"wrote {path}")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
