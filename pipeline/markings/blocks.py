"""The marking blocks of a briefing's first page: the CUI designation
indicator (DoDI 5200.48), the classification authority block (E.O. 13526)
and the distribution statement (DoDI 5230.24): which the banner calls for,
what the front matter must say for them, and their lines worded from
`templates/text/markings.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.problems import BriefingError
from pipeline.markings.rules import CLASSIFIED_RANK, SCHEMES, Marking, read_banner

# DoDI 5230.24: the reasons a limited distribution statement may give.
DISTRIBUTION_REASONS = (
    "Administrative or Operational Use", "Contractor Performance Evaluation",
    "Critical Technology", "Direct Military Support", "Export Controlled",
    "Foreign Government Information", "Operations Security", "Premature Dissemination",
    "Proprietary Information", "Software Documentation", "Specific Authority",
    "Test and Evaluation", "Vulnerability Information",
)
STATEMENTS = ("A", "B", "C", "D", "E", "F")
# E.O. 13526 section 1.4 categories, cited as "1.4(c)" or "1.4(a), (d)".
REASON_CITATION = re.compile(r"1\.4\s*\([a-h]\)(\s*(,|and)\s*(1\.4\s*)?\([a-h]\))*")


def block_problems(meta) -> list[tuple[str, str]]:
    """(front-matter key, message) for each missing or wrong line of the
    marking blocks this document's banner calls for. `meta` is model.Meta."""
    banner = read_banner(meta.classification, meta.marking_scheme)
    problems: list[tuple[str, str]] = []
    us = banner is not None and banner.scheme == "us"
    rank = banner.rank if banner is not None else -1
    if us and rank == SCHEMES["us"].index("CUI"):
        problems += [("classification", f"a CUI document needs '{key}' for its designation "
                      f"indicator block ({what})") for key, what in (
            ("controlled_by", "Controlled by: the component and office"),
            ("cui_category", "CUI Category: such as CTI or PRVCY"),
            ("poc", "POC: a name and a phone number or email")) if not getattr(meta, key)]
        if not meta.dissemination and not meta.distribution:
            problems.append(("classification", "a CUI document needs 'dissemination' (a limited "
                             "dissemination control such as FEDCON) or 'distribution' (A-F) for "
                             "its Distribution/Dissemination Control line"))
    if us and rank >= CLASSIFIED_RANK:
        for key, what in (("classified_by", "Classified By: name and position"),
                          ("declassify_on", "Declassify On: a date, an event or an exemption")):
            if not getattr(meta, key):
                problems.append(("classification", f"a classified document needs '{key}' for its "
                                 f"classification authority block ({what})"))
        if not meta.derived_from and not meta.classification_reason:
            problems.append(("classification", "a classified document needs 'derived_from' "
                             "(derivative classification) or 'classification_reason' (original "
                             "classification, such as 1.4(c)) for its authority block"))
    if meta.classification_reason and not REASON_CITATION.fullmatch(meta.classification_reason):
        problems.append(("classification_reason", "'classification_reason' must cite E.O. 13526 "
                         f"section 1.4, such as 1.4(c) or 1.4(a), (d); not '{meta.classification_reason}'"))
    problems += distribution_problems(meta, banner)
    return problems


def distribution_problems(meta, banner: Marking | None) -> list[tuple[str, str]]:
    if not meta.distribution:
        return []
    letter = meta.distribution
    if letter not in STATEMENTS:
        return [("distribution", "'distribution' must be a DoDI 5230.24 statement letter, "
                 f"one of {', '.join(STATEMENTS)}; not '{letter}'")]
    problems = []
    if letter == "A" and banner is not None and (why := not_public(banner)):
        article = "an" if meta.classification[:1] in "AEIOU" else "a"
        problems.append(("distribution", f"distribution statement A (public release) cannot go on "
                         f"{article} {meta.classification} document: {why}"))
    if letter != "A":
        if not meta.controlling_office:
            problems.append(("distribution", f"distribution statement {letter} needs "
                             "'controlling_office', the office other requests are referred to"))
        if not (meta.distribution_date or meta.date):
            problems.append(("distribution", f"distribution statement {letter} needs "
                             "'distribution_date' (or 'date'), its date of determination"))
    if letter in "BCDE" and not meta.distribution_reason:
        problems.append(("distribution", f"distribution statement {letter} needs "
                         f"'distribution_reason', one of: {'; '.join(DISTRIBUTION_REASONS)}"))
    if meta.distribution_reason and canonical_reason(meta.distribution_reason) is None:
        problems.append(("distribution_reason", f"'distribution_reason' must be one of: "
                         f"{'; '.join(DISTRIBUTION_REASONS)}; not '{meta.distribution_reason}'"))
    return problems


def not_public(banner: Marking) -> str | None:
    """Why a document with this banner cannot be released to the public
    (distribution statement A), or None. Only what is unclassified and free
    of dissemination controls may be, in every scheme:
    - US: DoDI 5230.24 (statement A is for unclassified, unlimited
      information) and ISM-ID-00159 (statement A is forbidden on
      classified documents); CUI and any control after // limit
      dissemination (32 CFR 2002.20, DoDM 5200.01 Vol 2 Encl 4);
    - NATO: C-M(2002)60 gives even NATO UNCLASSIFIED information to the
      public only with its originator's consent, which a statement A does
      not record;
    - UK: OFFICIAL without a caveat may be published; OFFICIAL-SENSITIVE
      and above may not (Government Security Classifications Policy)."""
    if banner.rank > 0:
        return "it is classified or controlled, and public release needs neither"
    if banner.controls:
        return (f"its dissemination controls ({', '.join(sorted(banner.controls))}) limit who "
                "may receive it")
    if banner.scheme == "nato":
        return "NATO information goes to the public only with its originator's consent"
    return None


def canonical_reason(reason: str) -> str | None:
    """The DoDI's spelling of a reason given in any case."""
    return next((r for r in DISTRIBUTION_REASONS if r.lower() == " ".join(reason.lower().split())),
                None)


@dataclass(frozen=True)
class MarkingBlock:
    kind: str  # "cui", "authority" or "distribution": a style or class name
    lines: tuple[str, ...]


WORDING = "text/markings.yaml"


def first_page_blocks(meta, templates) -> list[MarkingBlock]:
    """The marking blocks worded from a Templates' markings.yaml."""
    return marking_blocks(meta, templates.wording(WORDING), str(templates.path(WORDING)))


def marking_blocks(meta, wording: dict, wording_path: str) -> list[MarkingBlock]:
    """The first page's marking blocks, worded from `text/markings.yaml`.
    The checks have run: every line a block needs is in `meta`."""
    def say(group: str, key: str, **values: str) -> str:
        template = wording.get(group) if key == "" else (wording.get(group) or {}).get(key)
        if not isinstance(template, str):
            raise BriefingError.one(wording_path, None, "template.wording", f"wording '{group}{'.' + key if key else ''}' "
                                "is missing")
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise BriefingError.one(wording_path, None, "template.wording", f"wording '{group}.{key}': bad placeholder "
                                f"{error}; use {', '.join('{' + v + '}' for v in values)}") from None

    banner = read_banner(meta.classification, meta.marking_scheme)
    us = banner is not None and banner.scheme == "us"
    rank = banner.rank if banner is not None else -1
    blocks = []
    if us and rank == SCHEMES["us"].index("CUI"):
        control = meta.dissemination or say("distribution_short", "", letter=meta.distribution)
        lines = [*(say("cui_block", "controlled_by", value=v) for v in meta.controlled_by),
                 say("cui_block", "cui_category", value=", ".join(meta.cui_category)),
                 say("cui_block", "dissemination", value=control),
                 say("cui_block", "poc", value=meta.poc)]
        blocks.append(MarkingBlock("cui", tuple(lines)))
    if us and rank >= CLASSIFIED_RANK:
        lines = [say("authority_block", key, value=getattr(meta, key)) for key in (
            "classified_by", "derived_from", "classification_reason", "declassify_on")
            if getattr(meta, key)]
        blocks.append(MarkingBlock("authority", tuple(lines)))
    if meta.distribution:
        statement = say("distribution", meta.distribution,
                        reason=canonical_reason(meta.distribution_reason or "") or "",
                        date=meta.distribution_date or meta.date or "",
                        office=meta.controlling_office or "")
        blocks.append(MarkingBlock("distribution", (statement,)))
    return blocks


def marking_properties(meta, blocks: list[MarkingBlock]) -> list[tuple[str, str]]:
    """The markings as name/value pairs for document metadata (PDF Info and
    XMP, DOCX custom properties, HTML <meta>), where data-loss-prevention
    tools look for them."""
    banner = read_banner(meta.classification, meta.marking_scheme)
    statement = next((b.lines[0] for b in blocks if b.kind == "distribution"), None)
    pairs = [("Classification", meta.classification),
             ("MarkingScheme", (banner.scheme if banner else meta.marking_scheme or "").upper()),
             ("PortionMarking", "true" if meta.portion_marking else "false"),
             ("DistributionStatement", statement),
             ("CUICategory", ", ".join(meta.cui_category)),
             ("Dissemination", meta.dissemination),
             ("ClassifiedBy", meta.classified_by),
             ("DerivedFrom", meta.derived_from),
             ("ClassificationReason", meta.classification_reason),
             ("DeclassifyOn", meta.declassify_on)]
    return [(name, value) for name, value in pairs if value]
