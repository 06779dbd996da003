"""Shared bits of the XML formats (checkstyle, JUnit): safe text and serialisation."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

#: characters XML 1.0 forbids even when escaped; documents extracted from PDFs do contain them
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(value: object) -> str:
    """`value` as text that can appear in an XML document (forbidden characters become U+FFFD)."""
    return _INVALID_XML.sub("\ufffd", str(value))


def serialise(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
