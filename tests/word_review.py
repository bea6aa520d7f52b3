"""A reviewer in Word, played with python-docx's XML: tracked insertions,
deletions and formatting changes, and comments (one may span paragraphs),
written as Word writes them (w:ins, w:del, w:rPrChange, w:comments)."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

AUTHOR = "R. Viewer"
DATE = "2026-11-30T10:02:00Z"


class Review:
    def __init__(self, path: Path) -> None:
        self.document = docx.Document(str(path))
        self.ids = 100
        self.comments = None

    def paragraph(self, words: str):
        """The first body paragraph whose text holds `words`."""
        for p in self.document.element.body.iter(qn("w:p")):
            if words in "".join(t.text or "" for t in p.iter(qn("w:t"))):
                return p
        raise AssertionError(f"no paragraph holds {words!r}")

    def next_id(self) -> str:
        self.ids += 1
        return str(self.ids)

    def mark(self, tag: str, author: str = AUTHOR):
        return OxmlElement(tag, {qn("w:id"): self.next_id(), qn("w:author"): author, qn("w:date"): DATE})

    def split_run(self, p, words: str):
        """The run holding `words`, split so that `words` is a run of its own."""
        for r in p.iter(qn("w:r")):
            t = r.find(qn("w:t"))
            if t is None or words not in (t.text or ""):
                continue
            before, _, after = (t.text or "").partition(words)
            pieces = []
            for text in (before, words, after):
                if not text:
                    continue
                piece = copy.deepcopy(r)
                piece.find(qn("w:t")).text = text
                piece.find(qn("w:t")).set(qn("xml:space"), "preserve")
                pieces.append((text, piece))
            for _, piece in pieces:
                r.addprevious(piece)
            r.getparent().remove(r)
            return next(piece for text, piece in pieces if text == words)
        raise AssertionError(f"no run holds {words!r}")

    def insert(self, after_words: str, text: str, author: str = AUTHOR) -> None:
        """Tracked insertion of `text` right after `after_words`."""
        p = self.paragraph(after_words)
        run = self.split_run(p, after_words)
        inserted = self.mark("w:ins", author)
        new = copy.deepcopy(run)
        new.find(qn("w:t")).text = text
        inserted.append(new)
        run.addnext(inserted)

    def delete(self, words: str, author: str = AUTHOR) -> None:
        p = self.paragraph(words)
        run = self.split_run(p, words)
        deleted = self.mark("w:del", author)
        run.addprevious(deleted)
        deleted.append(run)
        t = run.find(qn("w:t"))
        t.tag = qn("w:delText")

    def embolden(self, words: str, author: str = AUTHOR) -> None:
        """Tracked formatting change: `words` made bold."""
        p = self.paragraph(words)
        run = self.split_run(p, words)
        properties = run.get_or_add_rPr()
        old = copy.deepcopy(properties)
        properties.append(OxmlElement("w:b"))
        change = self.mark("w:rPrChange", author)
        old.tag = qn("w:rPr")
        change.append(old)
        properties.append(change)

    def insert_paragraph(self, after_words: str, text: str, author: str = AUTHOR) -> None:
        """A whole paragraph typed in with tracking on, after the one holding `after_words`."""
        p = self.paragraph(after_words)
        new = copy.deepcopy(p)
        for child in list(new):
            if child.tag != qn("w:pPr"):
                new.remove(child)
        properties = new.get_or_add_pPr()
        marks = properties.find(qn("w:rPr"))
        if marks is None:
            marks = OxmlElement("w:rPr")
            properties.append(marks)
        marks.append(self.mark("w:ins", author))
        inserted = self.mark("w:ins", author)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        t.text = text
        run.append(t)
        inserted.append(run)
        new.append(inserted)
        p.addnext(new)

    def comment(self, from_words: str, to_words: str, text: str, author: str = AUTHOR) -> None:
        """A comment anchored from the start of `from_words` to the end of
        `to_words`, which may be in a later paragraph."""
        ident = self.next_id()
        start = self.split_run(self.paragraph(from_words), from_words)
        start.addprevious(OxmlElement("w:commentRangeStart", {qn("w:id"): ident}))
        end = self.split_run(self.paragraph(to_words), to_words)
        end.addnext(OxmlElement("w:commentRangeEnd", {qn("w:id"): ident}))
        reference = OxmlElement("w:r")
        reference.append(OxmlElement("w:commentReference", {qn("w:id"): ident}))
        end.getnext().addnext(reference)
        part = self.comments_part()
        part.element.append(parse_xml(
            f'<w:comment {nsdecls("w")} w:id="{ident}" w:author="{author}" w:date="{DATE}" w:initials="RV">'
            f'<w:p><w:r><w:annotationRef/></w:r><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
            '</w:comment>'))

    def comments_part(self) -> XmlPart:
        if self.comments is None:
            package = self.document.part.package
            element = parse_xml(f'<w:comments {nsdecls("w")}/>')
            self.comments = XmlPart(PackURI("/word/comments.xml"),
                                    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
                                    element, package)
            self.document.part.relate_to(self.comments, RT.COMMENTS)
        return self.comments

    def save(self, path: Path) -> Path:
        self.document.save(str(path))
        return path
