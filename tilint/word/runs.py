"""What a Word run shows, and how to cut one in two without changing what the reader sees.

A comment in Word is anchored on whole runs (`w:commentRangeStart` before the first run,
`w:commentRangeEnd` after the last), so to comment on exactly "challenging behaviour" inside the
run "We manage challenging behaviour daily" the run must first be split into three. A split copies
the run (and so its formatting, `w:rPr`) and shares its content out between the two copies; the
concatenated visible text is unchanged character for character.

The character counting here must agree with the docx reader (`tilint.readers.docx`), which records
each run item's offset in the run by the same per-item lengths.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(name: str) -> str:
    """Clark name of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{name}"


R, RPR, T = w("r"), w("rPr"), w("t")
#: run content that shows as one character, and the character it shows
ONE_CHAR = {w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
_OFF = frozenset({"0", "false", "off"})


def is_hidden(run: etree._Element) -> bool:
    """A run formatted as hidden text (`w:vanish`) shows nothing, so it counts as no text."""
    props = run.find(RPR)
    if props is None:
        return False
    vanish = props.find(w("vanish"))
    return vanish is not None and vanish.get(w("val"), "true").lower() not in _OFF


def item_text(item: etree._Element) -> str:
    """The text one child of a run shows (empty for properties, drawings, field codes, marks)."""
    if item.tag == T:
        return item.text or ""
    return ONE_CHAR.get(item.tag, "") if isinstance(item.tag, str) else ""


def run_text(run: etree._Element) -> str:
    """The visible text of a run, as the linter sees it."""
    if is_hidden(run):
        return ""
    return "".join(item_text(child) for child in run if child.tag != RPR)


def split_run(run: etree._Element, offset: int) -> etree._Element:
    """Split `run` so that it keeps its first `offset` characters; return the new run after it.

    The new run is a deep copy, so it has the same formatting and attributes. Content items that
    show no text (a drawing, a field character, a page-break marker) stay on the side they were on.
    Raises ValueError when `offset` is not strictly inside the run's text.
    """
    text = run_text(run)
    if not 0 < offset < len(text):
        raise ValueError(f"cannot split a run of {len(text)} characters at {offset}")
    right = deepcopy(run)
    left_items = [c for c in run if c.tag != RPR]
    right_items = [c for c in right if c.tag != RPR]
    position = 0
    split_done = False
    for left_item, right_item in zip(left_items, right_items, strict=True):
        length = len(item_text(left_item))
        if split_done or (length and position >= offset):
            split_done = True
            run.remove(left_item)
        elif length and position + length > offset:
            # This item holds the split point: only a w:t can, as the others are one character.
            cut = offset - position
            content = left_item.text or ""
            left_item.text, right_item.text = content[:cut], content[cut:]
            for t in (left_item, right_item):
                t.set(XML_SPACE, "preserve")
            split_done = True
        else:
            right.remove(right_item)
        position += length
    run.addnext(right)
    return right
