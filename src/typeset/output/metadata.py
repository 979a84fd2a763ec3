"""Issue (or one article of it) → the PDF's document info and XMP packet, written with pikepdf.

Library harvesters read XMP, not the info dictionary: the ISSN goes in as `prism:issn` and
`dc:identifier` (`urn:issn:…`; a report's ISBN as `prism:isbn` and `urn:isbn:…`), the issue as
`prism:number` and `prism:coverDate`, an offprint's pages as `prism:pageRange`. PRISM is not one of the schemas PDF/A predefines, so
the packet describes it in a `pdfaExtension` block. Every value is derived from the issue and
the build date, nothing from the clock or a random source, so builds repeat byte for byte.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

import pikepdf

from typeset import __version__
from typeset.model import Article, Issue, Period, joined

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

# The PRISM properties we write, as the pdfaExtension block must declare them: (name, XMP value type, what).
PRISM_PROPERTIES = (
    ("publicationName", "Text", "Title of the serial"),
    ("issn", "Text", "ISSN of the serial"),
    ("number", "Text", "Issue number"),
    ("isbn", "Text", "ISBN of the report"),
    ("coverDate", "Date", "Publication date printed on the cover"),
    ("coverDisplayDate", "Text", "Publication date as printed on the cover"),
    ("startingPage", "Text", "First page of the article in the issue"),
    ("endingPage", "Text", "Last page of the article in the issue"),
    ("pageRange", "Text", "Pages of the article in the issue"),
)

Claim = str  # "", "PDF/X-4", "PDF/A-2B": what the file declares it conforms to


@dataclass(frozen=True)
class Description:
    """What a PDF says about itself: the whole publication, or one article of it (`pages` set).

    Empty fields are left out of the file, never filled with a stand-in: a report has no ISSN or
    issue number, an undated one no cover date, and without a date or SOURCE_DATE_EPOCH no
    creation date either.
    """

    title: str
    authors: tuple[str, ...]
    citation: str
    keywords: tuple[str, ...]
    language: str
    publisher: str
    rights: str
    issn: str
    isbn: str
    publication: str  # the serial's or the series' name
    number: str  # the issue number
    date: Period | None
    created: dt.datetime | None
    pages: tuple[int, int] | None = None

    @property
    def identifier(self) -> str:
        """dc:identifier: the ISBN of a report (the edition's own number), else the serial's ISSN, as a URN."""
        if self.isbn:
            return "urn:isbn:" + self.isbn.replace("-", "").replace(" ", "")
        return f"urn:issn:{self.issn}" if self.issn else ""


def issue_description(issue: Issue, created: dt.datetime | None) -> Description:
    pub = issue.publication
    return Description(
        title=issue.full_title,
        authors=issue.authors,
        citation=issue.citation,
        keywords=issue.keywords,
        language=issue.language,
        publisher=pub.publisher,
        rights=" ".join(p for p in (pub.copyright, pub.rights) if p),
        issn=pub.issn,
        isbn=issue.report.isbn if issue.report else "",
        publication=pub.serial if issue.kind == "issue" or pub.issn else "",
        number=str(issue.number) if issue.kind == "issue" else "",
        date=issue.date,
        created=created,
    )


def article_description(issue: Issue, article: Article, first: int, last: int, created: dt.datetime | None) -> Description:
    """An offprint's description: its own title and authors, and where it stands in the issue."""
    whole = issue_description(issue, created)
    pages = f"p. {first}" if first == last else f"pp. {first}–{last}"
    return replace(
        whole,
        title=article.title,
        authors=article.authors,
        citation=joined(", ", issue.title, issue.issue_label, issue.date_label, pages),
        language=article.language or whole.language,
        pages=(first, last),
    )


def write_metadata(pdf: pikepdf.Pdf, d: Description, claim: Claim) -> None:
    """Replace the info dictionary and the XMP packet; keep the producer that wrote the pages."""
    producer = str(pdf.docinfo.get("/Producer", "")) or f"typeset {__version__}"
    author = ", ".join(d.authors)
    info = {
        "/Title": d.title,
        "/Author": author,
        "/Subject": d.citation,
        "/Keywords": ", ".join(d.keywords),
        "/Creator": f"typeset {__version__}",
        "/Producer": producer,
        "/CreationDate": _pdf_date(d.created) if d.created else "",
        "/ModDate": _pdf_date(d.created) if d.created else "",
    }
    docinfo = pikepdf.Dictionary({k: pikepdf.String(v) for k, v in info.items() if v})
    if claim.startswith("PDF/X"):
        docinfo.Trapped = pikepdf.Name("/False")
    pdf.docinfo = pdf.make_indirect(docinfo)
    pdf.Root.Lang = pikepdf.String(d.language)
    packet = xmp_packet(d, claim, producer)
    pdf.Root.Metadata = pdf.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def xmp_packet(d: Description, claim: Claim, producer: str) -> bytes:
    """The XMP packet: Dublin Core, XMP basic and media management, PDF, PRISM and the conformance claim."""
    rdf = ET.Element(_q("rdf:RDF"))
    desc = ET.SubElement(rdf, _q("rdf:Description"), {_q("rdf:about"): ""})
    when = d.created.strftime("%Y-%m-%dT%H:%M:%SZ") if d.created else ""
    _text(desc, "dc:format", "application/pdf")
    _alt(desc, "dc:title", d.title)
    # PDF/A wants dc:creator equivalent to the info Author: one entry holding all names.
    _list(desc, "dc:creator", "Seq", [", ".join(d.authors)] if claim.startswith("PDF/A") else list(d.authors))
    _alt(desc, "dc:description", d.citation)
    _list(desc, "dc:subject", "Bag", list(d.keywords))
    _list(desc, "dc:publisher", "Bag", [d.publisher])
    _list(desc, "dc:language", "Bag", [d.language])
    _list(desc, "dc:date", "Seq", [d.date.iso] if d.date else [])
    if d.identifier:
        _text(desc, "dc:identifier", d.identifier)
    if d.rights:
        _alt(desc, "dc:rights", d.rights)
    for name, value in (("CreateDate", when), ("ModifyDate", when), ("MetadataDate", when), ("CreatorTool", f"typeset {__version__}")):
        if value:
            _text(desc, f"xmp:{name}", value)
    _text(desc, "pdf:Producer", producer)
    _text(desc, "pdf:Keywords", ", ".join(d.keywords))
    doc_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{d.identifier or d.title}/{d.number}/{d.pages or ''}")
    _text(desc, "xmpMM:DocumentID", f"uuid:{doc_id}")
    _text(desc, "xmpMM:InstanceID", f"uuid:{uuid.uuid5(doc_id, claim + when)}")
    _text(desc, "xmpMM:VersionID", "1")
    _text(desc, "xmpMM:RenditionClass", "default")
    prism = {
        "publicationName": d.publication,
        "issn": d.issn,
        "isbn": d.isbn,
        "number": d.number,
        "coverDate": d.date.iso if d.date else "",
        "coverDisplayDate": d.date.label if d.date else "",
    }
    if d.pages:
        first, last = d.pages
        prism.update(startingPage=str(first), endingPage=str(last), pageRange=f"{first}-{last}")
    for name, value in prism.items():
        if value:
            _text(desc, f"prism:{name}", value)
    if claim.startswith("PDF/X"):
        _text(desc, "pdf:Trapped", "False")
        _text(desc, "pdfxid:GTS_PDFXVersion", claim)
    if claim.startswith("PDF/A"):
        part, conformance = claim.removeprefix("PDF/A-")[:-1], claim[-1]
        _text(desc, "pdfaid:part", part)
        _text(desc, "pdfaid:conformance", conformance)
        _prism_extension_schema(desc)
    xmpmeta = ET.Element(_q("x:xmpmeta"))
    xmpmeta.append(rdf)
    body = ET.tostring(xmpmeta, encoding="unicode")
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + '\n<?xpacket end="r"?>').encode("utf-8")


def _prism_extension_schema(desc: ET.Element) -> None:
    """Declare the PRISM properties, as PDF/A requires for any schema it does not predefine (ISO 19005-1 6.7.8)."""
    schemas = ET.SubElement(ET.SubElement(desc, _q("pdfaExtension:schemas")), _q("rdf:Bag"))
    schema = ET.SubElement(schemas, _q("rdf:li"), {_q("rdf:parseType"): "Resource"})
    _text(schema, "pdfaSchema:schema", "PRISM Basic Metadata")
    _text(schema, "pdfaSchema:namespaceURI", NS["prism"])
    _text(schema, "pdfaSchema:prefix", "prism")
    props = ET.SubElement(ET.SubElement(schema, _q("pdfaSchema:property")), _q("rdf:Seq"))
    for name, kind, what in PRISM_PROPERTIES:
        prop = ET.SubElement(props, _q("rdf:li"), {_q("rdf:parseType"): "Resource"})
        _text(prop, "pdfaProperty:name", name)
        _text(prop, "pdfaProperty:valueType", kind)
        _text(prop, "pdfaProperty:category", "external")
        _text(prop, "pdfaProperty:description", what)


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, _q(name)).text = value


def _alt(parent: ET.Element, name: str, value: str) -> None:
    alt = ET.SubElement(ET.SubElement(parent, _q(name)), _q("rdf:Alt"))
    ET.SubElement(alt, _q("rdf:li"), {"xml:lang": "x-default"}).text = value


def _list(parent: ET.Element, name: str, kind: str, values: list[str]) -> None:
    if not values:
        return
    seq = ET.SubElement(ET.SubElement(parent, _q(name)), _q(f"rdf:{kind}"))
    for value in values:
        ET.SubElement(seq, _q("rdf:li")).text = value


def _pdf_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
