"""Tracked changes: write a suggested rewrite as Word's own deletion and insertion, and accept or
reject tilint's changes again (to check a copy before handing it over, and in the tests).

A replacement is written the way Word writes one when Track Changes is on: the old runs wrapped
in `w:del` (their `w:t` turned into `w:delText`), followed by a `w:ins` holding one new run with
the first old run's formatting. Accept All then leaves the new words in the original's
formatting; Reject All leaves the original runs exactly as they were. Each mark carries the
author and date, so Word's Review pane shows who suggested it and when.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

from tilint.word.locate import Unmarkable
from tilint.word.markup import Ids
from tilint.word.runs import RPR, XML_SPACE, R, w

DEL, INS, T, DEL_TEXT = w("del"), w("ins"), w("t"), w("delText")
INSTR, DEL_INSTR = w("instrText"), w("delInstrText")
#: wrappers a tracked change may sit inside: anything else (another author's change, a field)
#: gets a comment instead
_ALLOWED_PARENTS = frozenset(w(n) for n in ("p", "hyperlink", "smartTag", "sdtContent", "customXml"))


def check_editable(runs: list[etree._Element]) -> None:
    """Raise Unmarkable unless a tracked change can replace these runs cleanly."""
    parent = runs[0].getparent()
    if any(run.getparent() is not parent for run in runs):
        raise Unmarkable("the words cross a link or other boundary")
    for ancestor in runs[0].iterancestors():
        if ancestor.tag == w("p"):
            break
        if ancestor.tag not in _ALLOWED_PARENTS:
            raise Unmarkable("the words are inside someone else's tracked change or a field")


def replace_tracked(runs: list[etree._Element], new: str, ids: Ids, author: str, date: str
                    ) -> tuple[etree._Element, etree._Element]:
    """Replace `runs` (siblings, in order) by `new` as a tracked deletion and insertion.

    Returns the first w:del and the w:ins, so a comment can be put around the whole change.
    """
    check_editable(runs)
    first_del = None
    for run in runs:
        wrapper = etree.Element(DEL)
        _stamp(wrapper, ids.take(), author, date)
        run.addprevious(wrapper)
        wrapper.append(run)  # moves the run into the deletion
        for item in run:
            if item.tag == T:
                item.tag = DEL_TEXT
            elif item.tag == INSTR:
                item.tag = DEL_INSTR
        first_del = first_del if first_del is not None else wrapper
    insertion = etree.Element(INS)
    _stamp(insertion, ids.take(), author, date)
    run = etree.SubElement(insertion, R)
    props = runs[0].find(RPR)
    if props is not None:
        run.append(deepcopy(props))
    text = etree.SubElement(run, T)
    text.text = new
    text.set(XML_SPACE, "preserve")
    runs[-1].getparent().addnext(insertion)
    assert first_del is not None
    return first_del, insertion


def _stamp(element: etree._Element, mark_id: str, author: str, date: str) -> None:
    element.set(w("id"), mark_id)
    element.set(w("author"), author)
    element.set(w("date"), date)


def tracked_ids(root: etree._Element, author: str) -> set[str]:
    """The ids of the insertions and deletions by `author` in a part."""
    return {el.get(w("id")) for el in root.iter(DEL, INS) if el.get(w("author")) == author}


def accept(root: etree._Element, ids: set[str]) -> None:
    """Word's Accept for the changes with these ids: deletions go, insertions stay as text."""
    for element in list(root.iter(DEL, INS)):
        if element.get(w("id")) not in ids:
            continue
        if element.tag == DEL:
            element.getparent().remove(element)
        else:
            _unwrap(element)


def reject(root: etree._Element, ids: set[str]) -> None:
    """Word's Reject for the changes with these ids: insertions go, deletions come back as text."""
    for element in list(root.iter(DEL, INS)):
        if element.get(w("id")) not in ids:
            continue
        if element.tag == INS:
            element.getparent().remove(element)
        else:
            for item in element.iter(DEL_TEXT, DEL_INSTR):
                item.tag = T if item.tag == DEL_TEXT else INSTR
            _unwrap(element)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)
