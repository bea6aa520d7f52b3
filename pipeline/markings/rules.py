"""Classification markings: the rules a security officer checks.

Which banners each marking scheme accepts, how portion marks are written and
ranked against the banner, and which marking blocks a document must carry
on its first page is marking_blocks.py's job. The wording and colours live
in templates/; this module says only what is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


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


def level_class(value: str) -> str:
    """A CSS-friendly name for a banner's colour: its level, and `sci`
    when it carries SCI controls (SCI banners are yellow)."""
    level, _, controls = value.partition("//")
    if any(SCI_ITEM.fullmatch(item) or item == "SCI" for item in control_items(controls)):
        return "sci"
    return "-".join(level.strip().lower().split())
