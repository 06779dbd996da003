"""Office Open XML packages (.docx): the zip opened once, its parts and relationships.

A .docx is a zip of XML parts tied together by relationship files (`_rels/*.rels`) and typed by
`[Content_Types].xml`. Reading one needs only three things from that machinery: find the main
document part, follow its relationships (styles, headers, footers, footnotes, comments), and parse
a part. Doing it here rather than through python-docx means the archive is opened and checked
once, each part is parsed once with the safe parser, and `tilint annotate` can write a copy in
which every part it did not change is the original's, byte for byte (see tilint.word.package).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from tilint.document import ReadError
from tilint.readers.safety import ZIP_ERRORS, check_xml_members, describe, open_zip, parse_xml, short_reason

CONTENT_TYPES = "[Content_Types].xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
#: Strict OOXML names the same relationship differently
RT_OFFICE_DOCUMENT_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
#: main-part content types: a Word document, and the kinds that are not a plain .docx
MAIN_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
NOT_PLAIN_DOCX = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "a macro-enabled document (.docm)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "a template (.dotx)",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "a macro-enabled template (.dotm)",
}


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: `target` is a zip member name unless `external`."""

    id: str
    type: str
    target: str
    external: bool


def rels_name(member: str) -> str:
    """`word/document.xml` -> `word/_rels/document.xml.rels` (the package's own: `_rels/.rels`)."""
    folder, name = posixpath.split(member)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve_target(source: str, target: str) -> str:
    """A relationship target as a zip member name: relative to the source part's folder."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class Package:
    """A .docx's parts, read from one open zip archive after the safety checks.

    Parsed parts are cached: the trees handed out are the ones `tilint annotate` edits and then
    writes back, so each part must exist once.
    """

    def __init__(self, data: bytes, what: str = "Word document") -> None:
        self.data = data
        self.what = what
        self.zip = open_zip(data, what)
        check_xml_members(self.zip, what)
        self.infos = self.zip.infolist()
        self.names = {info.filename for info in self.infos}
        if CONTENT_TYPES not in self.names:
            raise ReadError(f"not {_article(what)} (looks like {describe(data)})")
        self._xml: dict[str, etree._Element] = {}
        self._rels: dict[str, list[Relationship]] = {}
        self.main = self._main_part()

    # -- parts --------------------------------------------------------------------------------------
    def read(self, member: str) -> bytes:
        try:
            return self.zip.read(member)
        except KeyError:
            raise ReadError(f"cannot read docx: missing part {member}") from None
        except ZIP_ERRORS as exc:
            raise ReadError(f"cannot read docx: damaged part {member} ({short_reason(exc)})") from None

    def xml(self, member: str) -> etree._Element:
        """The parsed root of a part (parsed once, then the same tree every time)."""
        root = self._xml.get(member)
        if root is None:
            root = parse_xml(self.read(member), f"docx part {member}")
            self._xml[member] = root
        return root

    def adopt(self, member: str, root: etree._Element) -> None:
        """Make `root` the tree of `member` (a part tilint adds when it writes a copy)."""
        self._xml[member] = root
        self.names.add(member)

    def forget_relationships(self, member: str) -> None:
        """Drop the cached relationships of `member` after its .rels tree was edited."""
        self._rels.pop(member, None)

    def parsed(self) -> dict[str, etree._Element]:
        """Every part parsed so far, by member name."""
        return dict(self._xml)

    def relationships(self, member: str) -> list[Relationship]:
        """The relationships of a part (of the package itself for member "")."""
        if member not in self._rels:
            name = "_rels/.rels" if member == "" else rels_name(member)
            rels: list[Relationship] = []
            if name in self.names:
                for rel in self.xml(name).iter(f"{{{_REL_NS}}}Relationship"):
                    external = rel.get("TargetMode", "").lower() == "external"
                    target = rel.get("Target", "")
                    rels.append(Relationship(
                        rel.get("Id", ""), rel.get("Type", ""),
                        target if external else resolve_target(member, target), external,
                    ))
            self._rels[member] = rels
        return self._rels[member]

    def related(self, member: str, reltype: str) -> str | None:
        """The member name of the first internal part `member` relates to by `reltype`, if present."""
        for rel in self.relationships(member):
            if rel.type == reltype and not rel.external and rel.target in self.names:
                return rel.target
        return None

    def target(self, member: str, rel_id: str) -> str | None:
        """The member a relationship id of `member` points to (a header reference's r:id)."""
        for rel in self.relationships(member):
            if rel.id == rel_id and not rel.external and rel.target in self.names:
                return rel.target
        return None

    def content_type(self, member: str) -> str | None:
        types = self.xml(CONTENT_TYPES)
        for override in types.iter(f"{{{_CT_NS}}}Override"):
            if override.get("PartName", "").lstrip("/").lower() == member.lower():
                return override.get("ContentType")
        extension = posixpath.splitext(member)[1].lstrip(".").lower()
        for default in types.iter(f"{{{_CT_NS}}}Default"):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType")
        return None

    def _main_part(self) -> str:
        for rel in self.relationships(""):
            if rel.type in (RT_OFFICE_DOCUMENT, RT_OFFICE_DOCUMENT_STRICT) and not rel.external:
                if rel.target not in self.names:
                    raise ReadError(f"cannot read docx: missing part {rel.target}")
                return rel.target
        if "word/document.xml" in self.names:  # no package relationships: where Word puts it
            return "word/document.xml"
        raise ReadError(f"not {_article(self.what)} (looks like {describe(self.data)})")

    def main_kind(self) -> str | None:
        """None for a plain Word document; otherwise what it is ("a template (.dotx)", ...)."""
        content_type = self.content_type(self.main)
        if content_type == MAIN_DOCUMENT or content_type is None:
            return None
        return NOT_PLAIN_DOCX.get(content_type, f"not a Word document part ({content_type})")

    def close(self) -> None:
        self.zip.close()


def _article(what: str) -> str:
    return ("an " if what[:1].lower() in "aeiou" else "a ") + what


def open_package(data: bytes, what: str = "Word document") -> Package:
    """Open a .docx, turning any damage into a ReadError that says what is wrong."""
    try:
        return Package(data, what)
    except ReadError:
        raise
    except (zipfile.BadZipFile, EOFError, *ZIP_ERRORS) as exc:
        raise ReadError(f"cannot read docx: damaged file ({short_reason(exc)})") from None
