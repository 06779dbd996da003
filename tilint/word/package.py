"""Write the reviewed copy of a .docx: the original package with a few parts replaced or added.

Every part tilint did not change is copied from the original archive as it is (same name, same
order, same bytes once inflated), so styles, images, numbering, custom XML and anything tilint does
not understand survive untouched. Only the parts whose trees were edited (the document, a header
or footnotes holding a tracked change, the comments) are serialised again.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from tilint.readers.opc import CONTENT_TYPES, Package, rels_name

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def serialise(root: etree._Element) -> bytes:
    """A part's XML as Word writes it: UTF-8 with a standalone declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_part(package: Package, member: str, root: etree._Element, content_type: str,
             source: str, reltype: str) -> None:
    """Register a new part: its content type, and a relationship to it from `source`.

    The part's tree is put in the package's cache, so `write_copy` writes it with the others.
    """
    types = package.xml(CONTENT_TYPES)
    override = etree.SubElement(types, f"{{{_CT_NS}}}Override")
    override.set("PartName", "/" + member)
    override.set("ContentType", content_type)
    rels_member = rels_name(source)
    if rels_member in package.names:
        rels = package.xml(rels_member)
    else:
        rels = etree.Element(f"{{{_REL_NS}}}Relationships", nsmap={None: _REL_NS})
        package.adopt(rels_member, rels)
    taken = {rel.get("Id") for rel in rels}
    number = len(taken) + 1
    while f"rId{number}" in taken:
        number += 1
    relationship = etree.SubElement(rels, f"{{{_REL_NS}}}Relationship")
    relationship.set("Id", f"rId{number}")
    relationship.set("Type", reltype)
    relationship.set("Target", _relative(source, member))
    package.adopt(member, root)
    package.forget_relationships(source)


def _relative(source: str, member: str) -> str:
    import posixpath

    return posixpath.relpath(member, posixpath.dirname(source) or ".")


def write_copy(package: Package, changed: set[str]) -> bytes:
    """The package as a new .docx: `changed` members serialised from their trees, the rest copied."""
    out = io.BytesIO()
    written: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infos:
            name = info.filename
            if name in written:
                continue  # a damaged archive may list a member twice; the first one is the one read
            written.add(name)
            data = serialise(package.xml(name)) if name in changed else package.read(name)
            copy = zipfile.ZipInfo(name, date_time=info.date_time)
            stored = info.compress_type == zipfile.ZIP_STORED
            copy.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            target.writestr(copy, data)
        for name in sorted(changed - written):
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), serialise(package.xml(name)),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
