"""Classification markings: the rules a security officer checks.

Which banners each marking scheme accepts, how portion marks are written and
ranked against the banner, and which marking blocks a document must carry
on its first page (CUI designation indicator, classification authority,
distribution statement). The wording and colours live in templates/; this
module says only what is right and what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import BriefingError

# Banner levels per scheme, lowest first; the rank is the position.
SCHEMES: dict[str, tuple[str, ...]] = {
    "us": ("UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET"),
    "nato": ("NATO UNCLASSIFIED", "NATO RESTRICTED", "NATO CONFIDENTIAL", "NATO SECRET",
             "COSMIC TOP SECRET"),
    "uk": ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"),
}
# Portion marks per scheme, at the same ranks as the banner levels above.
PORTION_LEVELS: dict[str, tuple[str, ...]] = {
    "us": ("U", "CUI", "C", "S", "TS"),
    "nato": ("NU", "NR", "NC", "NS", "CTS"),
    "uk": ("O", "OS", "S", "TS"),
}
# Without `marking_scheme`, US and NATO markings are both recognised.
DEFAULT_SCHEMES = ("us", "nato")
CONTROL = re.compile(r"[A-Z0-9][A-Z0-9 ,\-/]*")
CLASSIFIED_RANK = 2  # CONFIDENTIAL and above (US)

# Controls in a US portion mark, and the banner word each stands for.
# Portion marks use the short forms: (S//NF), never (S//NOFORN).
PORTION_CONTROLS = {
    "NF": "NOFORN", "OC": "ORCON", "IMC": "IMCON", "PR": "PROPIN", "RELIDO": "RELIDO",
    "FISA": "FISA", "SI": "SI", "TK": "TK", "HCS": "HCS", "FEDCON": "FEDCON",
    "NOCON": "NOCON", "DL ONLY": "DL ONLY", "DISPLAY ONLY": "DISPLAY ONLY",
    "REL": "REL TO",  # the banner's REL TO list, said short
}
REL_TO = re.compile(r"REL TO USA(, ?[A-Z]{3,4})+")
# An SCI control system with its compartments (SI-G, SI-GAMMA ABC): the
# system is what must roll up to the banner.
SCI_ITEM = re.compile(r"(SI|TK|HCS)(-[A-Z0-9 ]+)*")
CUI_CATEGORY = re.compile(r"SP-[A-Z]{2,12}")
# Controls a US banner may carry after //, besides SCI systems, REL TO and
# CUI categories.
BANNER_CONTROLS = ("NOFORN", "ORCON", "IMCON", "PROPIN", "RELIDO", "FISA", "FEDCON", "NOCON",
                   "DL ONLY", "DISPLAY ONLY")
CUI_BANNER_CATEGORY = re.compile(r"(SP-)?[A-Z]{2,12}")
# Who REL TO may name: ISO 3166-1 trigraphs, then these tetragraphs.
COUNTRIES = frozenset("""
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR
BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG
COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH
FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY
HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM
KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL
MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR
NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU
SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA
TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB
VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
""".split())
TETRAGRAPHS = frozenset(("ACGU", "FVEY", "ISAF", "KFOR", "NATO", "SFOR"))

# Controls whose presence in any portion must show in the banner (they roll
# up); REL TO and RELIDO roll up only when every portion has them.
ROLL_UP = {"NOFORN", "ORCON", "IMCON", "PROPIN", "FISA", "SI", "TK", "HCS", "FEDCON", "NOCON",
           "DL ONLY", "DISPLAY ONLY"}

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


@dataclass(frozen=True)
class Marking:
    """A banner or a portion mark, read: its scheme, rank and controls
    (as banner words, so a portion's NF compares with the banner's NOFORN)."""
    scheme: str
    rank: int
    controls: frozenset[str]


def classification_problem(value: str, scheme: str | None) -> str | None:
    """Why `value` is not a banner the scheme accepts, or None if it is."""
    schemes = (scheme,) if scheme else DEFAULT_SCHEMES
    level, slashes, controls = value.partition("//")
    level = level.strip()
    for name in schemes:
        if level in SCHEMES[name] and (not slashes or name == "us"):
            if slashes and not all(CONTROL.fullmatch(part.strip()) for part in controls.split("//")):
                return (f"'classification': the controls after // in '{value}' must be "
                        "upper-case words, such as NOFORN or REL TO USA, GBR")
            return banner_controls_problem(level, controls) if slashes else None
    if value != value.upper() and classification_problem(value.upper(), scheme) is None:
        return f"'classification' must be written in capitals: '{value.upper()}', not '{value}'"
    accepted = "; ".join(", ".join(SCHEMES[name]) for name in schemes)
    hint = "" if scheme else " (for UK markings set marking_scheme: uk)"
    controls_note = ", US levels with controls after // such as SECRET//NOFORN" if "us" in schemes else ""
    return f"'classification' must be one of {accepted}{controls_note}{hint}; not '{value}'"


def banner_controls_problem(level: str, controls: str) -> str | None:
    """Why a US banner's controls are not ones we know, or None."""
    groups = controls.split("//")
    for index, group in enumerate(groups):
        for item in (part.strip() for part in group.split("/")):
            if (item in BANNER_CONTROLS or SCI_ITEM.fullmatch(item)
                    or (level == "CUI" and index == 0 and CUI_BANNER_CATEGORY.fullmatch(item))):
                continue
            if item.startswith("REL TO"):
                if problem := rel_to_problem(item):
                    return f"'classification': {problem}"
                continue
            return f"'classification': unknown control '{item}'{suggestion(item)}"
    return None


def suggestion(item: str) -> str:
    import difflib  # slow to import: only for a mistake

    known = (*BANNER_CONTROLS, *PORTION_CONTROLS, "SI", "TK", "HCS")
    close = difflib.get_close_matches(item, known, n=1, cutoff=0.6)
    return (f"; did you mean {close[0]}?" if close else
            f"; known controls: {', '.join(BANNER_CONTROLS)}, SI, TK, HCS, REL TO USA, …")


def rel_to_problem(item: str) -> str | None:
    """REL TO names USA first, then ISO 3166 trigraphs in alphabetical
    order, then tetragraphs such as FVEY, each once."""
    names = [name.strip() for name in item.removeprefix("REL TO").split(",")]
    if not names or names[0] != "USA" or len(names) < 2:
        return f"'{item}' must start REL TO USA, then the countries, such as REL TO USA, GBR"
    unknown = [n for n in names[1:] if n not in COUNTRIES and n not in TETRAGRAPHS]
    if unknown:
        return (f"'{unknown[0]}' in '{item}' is not an ISO 3166 trigraph (such as GBR, AUS) "
                f"or a tetragraph ({', '.join(sorted(TETRAGRAPHS))})")
    rest = names[1:]
    ordered = sorted(n for n in rest if n in COUNTRIES) + sorted(n for n in rest if n in TETRAGRAPHS)
    if rest != ordered or len(set(rest)) != len(rest):
        return (f"'{item}' must list each country once, trigraphs in alphabetical order, then "
                f"tetragraphs: REL TO USA, {', '.join(dict.fromkeys(ordered))}")
    return None


def read_banner(value: str, scheme: str | None) -> Marking | None:
    """The banner read, or None when it is not valid (reported elsewhere)."""
    if classification_problem(value, scheme):
        return None
    level, _, controls = value.partition("//")
    name = next(n for n in ((scheme,) if scheme else DEFAULT_SCHEMES) if level.strip() in SCHEMES[n])
    words = frozenset(control_word(item) for item in control_items(controls))
    return Marking(name, SCHEMES[name].index(level.strip()), words)


def control_items(controls: str) -> list[str]:
    """`SI/TK//NF` -> ["SI", "TK", "NF"]: groups split by //, items by /."""
    return [item.strip() for group in controls.split("//") for item in group.split("/")
            if item.strip()]


def control_word(item: str) -> str:
    """A banner's control as portions are compared with it."""
    if REL_TO.fullmatch(item):
        return "REL TO"
    if sci := SCI_ITEM.fullmatch(item):
        return sci.group(1)
    return item


def read_portion(mark: str, scheme: str) -> Marking | str:
    """A portion mark such as `S//NF` (without its brackets) read in the
    banner's scheme, or why it is not one."""
    level, slashes, controls = mark.partition("//")
    levels = PORTION_LEVELS[scheme]
    if level not in levels:
        return (f"unknown portion mark '({mark})': {scheme.upper()} portion marks are "
                f"{', '.join(f'({p})' for p in levels)}"
                + (", with controls such as (S//NF)" if scheme == "us" else ""))
    if slashes and scheme != "us":
        return f"portion mark '({mark})': {scheme.upper()} portion marks take no controls after //"
    words = set()
    for item in control_items(controls):
        if item in PORTION_CONTROLS:
            words.add(PORTION_CONTROLS[item])
        elif REL_TO.fullmatch(item) or SCI_ITEM.fullmatch(item):
            if item.startswith("REL TO") and (problem := rel_to_problem(item)):
                return f"portion mark '({mark})': {problem}"
            words.add(control_word(item))
        elif CUI_CATEGORY.fullmatch(item):
            words.add(item)
        else:
            long_form = {v: k for k, v in PORTION_CONTROLS.items()}.get(item)
            hint = (f"; portion marks use the short form {long_form}" if long_form and long_form != item
                    else f"; known controls: {', '.join(PORTION_CONTROLS)}, REL TO USA, …, SP-…")
            return f"unknown control '{item}' in portion mark '({mark})'{hint}"
    if slashes and not words:
        return f"portion mark '({mark})' has // but no control after it"
    return Marking(scheme, levels.index(level), frozenset(words))


def portion_problem(mark: str, portion: Marking, banner: Marking, banner_text: str) -> str | None:
    """Why a valid portion cannot stand under this banner, or None."""
    if portion.rank > banner.rank:
        return f"portion mark '({mark})' is above the banner '{banner_text}'"
    missing = sorted((portion.controls & ROLL_UP) - banner.controls)
    missing += sorted(c for c in portion.controls if c.startswith("SP-") and c not in banner.controls)
    if missing:
        return (f"portion mark '({mark})' carries {', '.join(missing)}, which the banner "
                f"'{banner_text}' lacks")
    return None


def banner_warnings(banner: Marking, banner_text: str, portions: list[tuple[str, Marking]]) -> list[str]:
    """What looks over-marked: a banner above every portion, or a control
    in the banner that no portion carries."""
    if not portions:
        return []
    warnings = []
    highest_mark, highest = max(portions, key=lambda item: item[1].rank)
    if highest.rank < banner.rank:
        warnings.append(f"the banner '{banner_text}' is above every portion (the highest is "
                        f"'({highest_mark})'): is the document over-classified?")
    carried = frozenset().union(*(p.controls for _, p in portions))
    unused = sorted((banner.controls & ROLL_UP) - carried)
    if unused:
        warnings.append(f"the banner '{banner_text}' carries {', '.join(unused)}, "
                        "which no portion does")
    return warnings


# Marking blocks: what the front matter must say -----------------------------

def block_problems(meta) -> list[tuple[str, str]]:
    """(front-matter key, message) for each missing or wrong line of the
    marking blocks this document's banner calls for. `meta` is model.Meta."""
    banner = read_banner(meta.classification, meta.marking_scheme)
    problems: list[tuple[str, str]] = []
    us = banner is not None and banner.scheme == "us"
    if us and banner.rank == SCHEMES["us"].index("CUI"):
        problems += [("classification", f"a CUI document needs '{key}' for its designation "
                      f"indicator block ({what})") for key, what in (
            ("controlled_by", "Controlled by: the component and office"),
            ("cui_category", "CUI Category: such as CTI or PRVCY"),
            ("poc", "POC: a name and a phone number or email")) if not getattr(meta, key)]
        if not meta.dissemination and not meta.distribution:
            problems.append(("classification", "a CUI document needs 'dissemination' (a limited "
                             "dissemination control such as FEDCON) or 'distribution' (A-F) for "
                             "its Distribution/Dissemination Control line"))
    if us and banner.rank >= CLASSIFIED_RANK:
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
    if letter == "A" and banner is not None and banner.scheme == "us" and banner.rank >= 1:
        problems.append(("distribution", f"distribution statement A (public release) cannot go on a "
                         f"{meta.classification} document"))
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


def canonical_reason(reason: str) -> str | None:
    """The DoDI's spelling of a reason given in any case."""
    return next((r for r in DISTRIBUTION_REASONS if r.lower() == " ".join(reason.lower().split())),
                None)


def level_class(value: str) -> str:
    """A CSS-friendly name for a banner's colour: its level, and `sci`
    when it carries SCI controls (SCI banners are yellow)."""
    level, _, controls = value.partition("//")
    if any(SCI_ITEM.fullmatch(item) or item == "SCI" for item in control_items(controls)):
        return "sci"
    return "-".join(level.strip().lower().split())


# Marking blocks: what the first page says -----------------------------------

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
            raise BriefingError(wording_path, None, f"wording '{group}{'.' + key if key else ''}' "
                                "is missing")
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise BriefingError(wording_path, None, f"wording '{group}.{key}': bad placeholder "
                                f"{error}; use {', '.join('{' + v + '}' for v in values)}") from None

    banner = read_banner(meta.classification, meta.marking_scheme)
    us = banner is not None and banner.scheme == "us"
    blocks = []
    if us and banner.rank == SCHEMES["us"].index("CUI"):
        control = meta.dissemination or say("distribution_short", "", letter=meta.distribution)
        lines = [*(say("cui_block", "controlled_by", value=v) for v in meta.controlled_by),
                 say("cui_block", "cui_category", value=", ".join(meta.cui_category)),
                 say("cui_block", "dissemination", value=control),
                 say("cui_block", "poc", value=meta.poc)]
        blocks.append(MarkingBlock("cui", tuple(lines)))
    if us and banner.rank >= CLASSIFIED_RANK:
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
