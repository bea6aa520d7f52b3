"""Classification markings: the rules a security officer checks.

Which banners each marking scheme accepts, how portion marks are written,
which markings contradict themselves, and how the banner rolls up from the
portions (ROLL_UP, a table of rules, each with its source). Which marking
blocks the first page carries is blocks.py's job. The wording and colours
live in templates/; this module says only what is right.

The sources, all public:
- DoDM 5200.01 Vol 2 (Marking of Information), Enclosures 3 and 4;
- the CAPCO register, through its public machine form: the ODNI's ISM.XML
  Schematron rules (ISM-ID-nnnnn, DES version 10, "approved for public
  release"), which encode the register's roll-up and consistency rules;
- 32 CFR 2002.20 and the CUI Marking Handbook for CUI;
- NATO's C-M(2002)49 (Security within NATO) and C-M(2002)60 (non-classified
  NATO information), and the UK's Government Security Classifications Policy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline import model as m


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
# The UK's descriptors (Government Security Classifications Policy): a word
# after OFFICIAL-SENSITIVE naming why it is sensitive, as a loose minute's
# protective marking shows it top and bottom ("OFFICIAL-SENSITIVE COMMERCIAL").
UK_DESCRIPTORS = ("COMMERCIAL", "LOCSEN", "PERSONAL")
UK_DESCRIBED = ("OFFICIAL-SENSITIVE",)  # the levels a descriptor follows
# Without `marking_scheme`, US and NATO markings are both recognised.
DEFAULT_SCHEMES = ("us", "nato")
CONTROL = re.compile(r"[A-Z0-9][A-Z0-9 ,\-/]*")
US = SCHEMES["us"]
CUI_RANK = US.index("CUI")
CLASSIFIED_RANK = US.index("CONFIDENTIAL")  # CONFIDENTIAL and above (US)
SECRET_RANK = US.index("SECRET")
TOP_SECRET_RANK = US.index("TOP SECRET")

# Controls in a US portion mark, and the banner word each stands for.
# Portion marks use the short forms: (S//NF), never (S//NOFORN).
PORTION_CONTROLS = {
    "NF": "NOFORN", "OC": "ORCON", "IMC": "IMCON", "PR": "PROPIN", "RELIDO": "RELIDO",
    "FISA": "FISA", "SI": "SI", "TK": "TK", "HCS": "HCS", "FEDCON": "FEDCON",
    "NOCON": "NOCON", "DL ONLY": "DL ONLY", "DISPLAY ONLY": "DISPLAY ONLY",
    "REL": "REL TO",  # the banner's REL TO list, said short
}
SHORT_FORMS = {word: short for short, word in PORTION_CONTROLS.items() if short not in ("REL",)}
REL_TO = re.compile(r"REL TO USA(, ?[A-Z]{3,4})+")
# An SCI control system with its compartments and sub-compartments
# (SI-G, SI-GAMMA ABC, SI-G ABCD EFGH-XYZ).
SCI_ITEM = re.compile(r"(SI|TK|HCS)(-[A-Z0-9 ]+)*")
SCI_SYSTEMS = ("HCS", "SI", "TK")
# Compartments the register spells two ways: SI-GAMMA is SI-G in banners
# and portions alike (CVEnumISMSCIControls: "SI-G", described "SI-GAMMA").
COMPARTMENT_NAMES = {"GAMMA": "G"}
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
# Tetragraphs whose members are public: ISM-ID-00318 decomposes them into
# their countries when it intersects REL TO lists; the others stand for
# themselves (their membership changes, so no country is assumed in them).
TETRAGRAPH_MEMBERS = {"FVEY": frozenset(("AUS", "CAN", "GBR", "NZL", "USA")),
                      "ACGU": frozenset(("AUS", "CAN", "GBR", "USA"))}

# Dissemination controls that restrict, and so roll up to the banner when
# any portion carries one (the union); see ROLL_UP.
RESTRICTIONS = ("ORCON", "IMCON", "NOFORN", "PROPIN", "FISA", "FEDCON", "NOCON", "DL ONLY")
# Controls that permit (release by a disclosure official, display to
# foreign nationals): the banner may say so only when every portion that
# needs a foreign-disclosure decision says so.
PERMISSIONS = ("RELIDO", "DISPLAY ONLY")
# The order a banner writes its dissemination controls in (CVEnumISMDissem,
# then the CUI limited dissemination controls).
DISSEMINATION_ORDER = ("ORCON", "IMCON", "NOFORN", "PROPIN", "FEDCON", "NOCON", "DL ONLY",
                       "REL TO", "RELIDO", "FISA", "DISPLAY ONLY")
# Controls whose presence in any portion must show in the banner (they roll
# up): the restrictions and the SCI systems.
ROLL_UP_CONTROLS = frozenset(RESTRICTIONS) | frozenset(SCI_SYSTEMS)


@dataclass(frozen=True)
class Marking:
    """A banner or a portion mark, read: its scheme, rank and controls
    (as banner words, so a portion's NF compares with the banner's NOFORN;
    SCI systems by their system, REL TO as "REL TO"); every SCI compartment
    as a path ("SI", "SI-G", "SI-G ABC"); the REL TO list as written (USA
    first), () for a portion's bare REL (the banner's list), None without."""
    scheme: str
    rank: int
    controls: frozenset[str]
    sci: frozenset[str] = frozenset()
    rel_to: tuple[str, ...] | None = None

    @property
    def dissemination(self) -> frozenset[str]:
        return self.controls - frozenset(SCI_SYSTEMS) - {"REL TO"}

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c for c in self.controls if c.startswith("SP-"))

    @property
    def classified(self) -> bool:
        """CONFIDENTIAL and above in its scheme (NATO and UK: RESTRICTED and
        OFFICIAL-SENSITIVE are below it too, at the same ranks)."""
        return self.rank >= CLASSIFIED_RANK


# Reading banners and portion marks ---------------------------------------------

def classification_problem(value: str, scheme: str | None) -> str | None:
    """Why `value` is not a banner the scheme accepts, or None if it is."""
    schemes = (scheme,) if scheme else DEFAULT_SCHEMES
    level, slashes, controls = value.partition("//")
    level = level.strip()
    if scheme == "uk" and not slashes:
        level, descriptor = uk_descriptor(level)
        if descriptor and level not in UK_DESCRIBED:
            return (f"'classification': the descriptor {descriptor} follows "
                    f"{' or '.join(UK_DESCRIBED)}, not {level}")
    for name in schemes:
        if level in SCHEMES[name] and (not slashes or name == "us"):
            if slashes and not all(CONTROL.fullmatch(part.strip()) for part in controls.split("//")):
                return (f"'classification': the controls after // in '{value}' must be "
                        "upper-case words, such as NOFORN or REL TO USA, GBR")
            if slashes and (problem := banner_controls_problem(level, controls)):
                return problem
            if slashes and (problem := contradiction(read_us_banner(level, controls), value)):
                return f"'classification': {problem}"
            return None
    if value != value.upper() and classification_problem(value.upper(), scheme) is None:
        return f"'classification' must be written in capitals: '{value.upper()}', not '{value}'"
    accepted = "; ".join(", ".join(SCHEMES[name]) for name in schemes)
    if scheme == "uk":
        accepted += f", OFFICIAL-SENSITIVE with a descriptor ({', '.join(UK_DESCRIPTORS)})"
    hint = "" if scheme else " (for UK markings set marking_scheme: uk)"
    controls_note = ", US levels with controls after // such as SECRET//NOFORN" if "us" in schemes else ""
    return f"'classification' must be one of {accepted}{controls_note}{hint}; not '{value}'"


def uk_descriptor(level: str) -> tuple[str, str | None]:
    """A UK banner's level and its descriptor: "OFFICIAL-SENSITIVE
    COMMERCIAL" -> ("OFFICIAL-SENSITIVE", "COMMERCIAL")."""
    head, _, last = level.rpartition(" ")
    if head and last in UK_DESCRIPTORS:
        return head.strip(), last
    return level, None


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
    order, then tetragraphs such as FVEY, each once (ISM-ID-00214, 00041,
    00319)."""
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


@functools.cache  # the checks, the first page's blocks and the metadata all ask: read it once
def read_banner(value: str, scheme: str | None) -> Marking | None:
    """The banner read, or None when it is not valid (reported elsewhere)."""
    if classification_problem(value, scheme):
        return None
    level, _, controls = value.partition("//")
    if scheme == "uk":
        level = uk_descriptor(level.strip())[0]
    name = next(n for n in ((scheme,) if scheme else DEFAULT_SCHEMES) if level.strip() in SCHEMES[n])
    if name != "us":
        return Marking(name, SCHEMES[name].index(level.strip()), frozenset())
    return read_us_banner(level.strip(), controls)


def read_us_banner(level: str, controls: str) -> Marking:
    items = control_items(controls)
    sci = frozenset().union(*(sci_paths(item) for item in items if SCI_ITEM.fullmatch(item)))
    rel = next((rel_names(item) for item in items if REL_TO.fullmatch(item)), None)
    words = frozenset(control_word(item) for item in items)
    return Marking("us", US.index(level), words, sci, rel)


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


def rel_names(item: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in item.removeprefix("REL TO").split(","))


def sci_paths(item: str) -> frozenset[str]:
    """Every SCI path an item names: `SI-GAMMA ABC` -> SI, SI-G, SI-G ABC."""
    system, *compartments = item.split("-")
    paths = {system.strip()}
    for part in compartments:
        name, *subs = part.split()
        name = COMPARTMENT_NAMES.get(name, name)
        paths.add(f"{system}-{name}")
        paths.update(f"{system}-{name} {sub}" for sub in subs)
    return frozenset(paths)


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
    words: set[str] = set()
    sci: set[str] = set()
    rel: tuple[str, ...] | None = None
    for item in control_items(controls):
        if item in PORTION_CONTROLS:
            words.add(PORTION_CONTROLS[item])
            if item == "REL":
                rel = ()
            elif item in SCI_SYSTEMS:
                sci.add(item)
        elif REL_TO.fullmatch(item) or SCI_ITEM.fullmatch(item):
            if item.startswith("REL TO"):
                if problem := rel_to_problem(item):
                    return f"portion mark '({mark})': {problem}"
                rel = rel_names(item)
            else:
                sci |= sci_paths(item)
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
    portion = Marking(scheme, levels.index(level), frozenset(words), frozenset(sci), rel)
    if problem := contradiction(portion, f"({mark})"):
        return f"portion mark '({mark})': {problem}"
    return portion


# What a marking may not say of itself -------------------------------------------

@dataclass(frozen=True)
class Contradiction:
    id: str
    says: str  # the rule, in a line, for the README and the tests


# Each with its source. A banner or a portion that breaks one is refused.
CONTRADICTIONS = (
    # ISM-ID-00033: REL, EYES and NF are mutually exclusive.
    Contradiction("nf-rel", "NOFORN and REL TO cannot stand together"),
    # ISM-ID-00169: DISPLAY ONLY, RELIDO and NF are mutually exclusive.
    Contradiction("nf-permission", "NOFORN cannot stand with RELIDO or DISPLAY ONLY"),
    # ISM-ID-00043 (SI), 00048 (HCS): CONFIDENTIAL or above; 00047 (TK):
    # SECRET or above; 00044 (SI-G): TOP SECRET. DoDM 5200.01 Vol 2,
    # Encl 4: SCI is classified information, so it takes a classified level,
    # and then the classification authority block.
    Contradiction("sci-level", "SCI needs a classified level: SI and HCS CONFIDENTIAL or above, "
                               "TK SECRET or above, SI-G TOP SECRET"),
    # ISM-ID-00028 (ORCON: CONFIDENTIAL or above), 00107 (IMCON: SECRET or above).
    Contradiction("control-level", "ORCON needs CONFIDENTIAL or above, IMCON SECRET or above"),
)
SCI_MINIMUM = {"SI": CLASSIFIED_RANK, "HCS": CLASSIFIED_RANK, "TK": SECRET_RANK,
               "SI-G": TOP_SECRET_RANK}
CONTROL_MINIMUM = {"ORCON": CLASSIFIED_RANK, "IMCON": SECRET_RANK}


@dataclass(frozen=True)
class Dependency:
    """A marking that carries `when` (an SCI path) must also carry `needs`
    (a dissemination control, as a banner writes it)."""
    id: str
    when: str
    needs: str
    says: str  # the rule, in a line, for the README and the tests


# What an SCI control system or compartment brings with it, each with its
# source. A banner or a portion that lacks it is refused (CAPCO register:
# an SCI marking's "requires" line; ISM.XML DES 10 encodes it). The
# banner then carries it too, by dissemination.union.
DEPENDENCIES = (
    # ISM-ID-00045: SCIcontrols with a token starting SI-G (SI-GAMMA and its
    # sub-compartments) needs disseminationControls OC: "A USA document
    # containing SI GAMMA compartment data must be marked for ORIGINATOR
    # CONTROLLED dissemination."
    Dependency("si-g-orcon", "SI-G", "ORCON", "SI-G (SI-GAMMA) needs ORCON"),
    # ISM-ID-00049: SCIcontrols HCS needs disseminationControls NF: "A USA
    # document containing HCS data must be marked for NO FOREIGN
    # dissemination." So HCS never stands with REL TO, RELIDO or DISPLAY ONLY.
    Dependency("hcs-noforn", "HCS", "NOFORN", "HCS needs NOFORN"),
)


def contradiction(marking: Marking, written: str) -> str | None:
    """Why a US marking contradicts itself (CONTRADICTIONS), or None."""
    if marking.scheme != "us":
        return None
    controls = marking.controls
    if "NOFORN" in controls and "REL TO" in controls:
        return (f"'{written}' is both NOFORN (no foreign release) and REL TO (release to the "
                "countries named): choose one")
    if "NOFORN" in controls and (permitted := sorted(controls & set(PERMISSIONS))):
        return f"'{written}' is NOFORN and {', '.join(permitted)}, which allows foreign disclosure"
    for path in sorted(marking.sci & set(SCI_MINIMUM), key=lambda p: (-SCI_MINIMUM[p], p)):
        if marking.rank < (needed := SCI_MINIMUM[path]):
            return (f"'{written}' carries {path} (SCI), which needs {US[needed]} or above; "
                    f"a classified level then needs its classification authority block")
    for control, needed in CONTROL_MINIMUM.items():
        if control in controls and marking.rank < needed:
            return f"'{written}' carries {control}, which needs {US[needed]} or above"
    if lacking := [rule for rule in DEPENDENCIES
                   if rule.when in marking.sci and rule.needs not in controls]:
        portion = written.startswith("(")
        said = ", and ".join(f"{rule.when}, which needs "
                            f"{SHORT_FORMS.get(rule.needs, rule.needs) if portion else rule.needs}"
                            for rule in lacking)
        text = f"'{written}' carries {said} (CAPCO register)"
        if "NOFORN" in {rule.needs for rule in lacking} and controls & {"REL TO", *PERMISSIONS}:
            text += f", and so no {', '.join(sorted(controls & {'REL TO', *PERMISSIONS}))}"
        if marking.rel_to != ():  # a bare (REL) says no list to write out again
            fixed = with_controls(marking, {rule.needs for rule in lacking})
            text += f": {f'({fixed.portion()})' if portion else fixed.banner()}"
        return text
    return None


def with_controls(marking: Marking, added: set[str]) -> Rolled:
    """The marking with more restricting controls; with NOFORN, without
    what NOFORN excludes (REL TO, RELIDO, DISPLAY ONLY)."""
    noforn = "NOFORN" in added
    return Rolled("us", marking.rank, marking.sci, (marking.controls & set(RESTRICTIONS)) | added,
                  marking.categories,
                  frozenset(marking.rel_to) if marking.rel_to and not noforn else None,
                  frozenset() if noforn else marking.controls & set(PERMISSIONS))


# The roll-up: the banner from its portions --------------------------------------

IN_TEXT = ("portion", "paragraph", "heading", "table caption", "figure caption", "admonition title",
           "table cell", "code block")


@dataclass(frozen=True)
class Portion:
    """A portion as the roll-up sees it: its mark as written, read, and where
    it stands (a line, and what it is: a paragraph, the title …)."""
    mark: str
    marking: Marking
    line: int | None
    what: str = "portion"
    path: str | None = None  # when it stands in another file than the source (a bibliography)

    @property
    def label(self) -> str:
        """What a message says first, for a portion that is not in the text."""
        return "" if self.what in IN_TEXT else f"{self.what}: "

    @property
    def source(self) -> m.RollUpSource:
        return m.RollUpSource(line=self.line, mark=self.mark, what=self.what, path=self.path)

    def finding(self, code: str, message: str) -> Finding:
        """A problem the roll-up finds with this portion, at its line (in its file)."""
        return Finding(self.line, code, message, path=self.path)


@dataclass(frozen=True)
class Rule:
    id: str
    part: str  # which part of the banner: level, sci, dissemination, category, release
    says: str  # the rule in a line (README, --explain)


# The roll-up, rule by rule, each with its source. `roll_up` applies them in
# this order; tests/test_rollup.py has a test per rule.
ROLL_UP = (
    # DoDM 5200.01 Vol 2, Encl 3 (overall marking): the banner shows the
    # highest level of any portion; ISM-ID-00056, 00058, 00059 (no portion
    # above the banner). NATO C-M(2002)49 and the UK's Government Security
    # Classifications Policy say the same of their own levels.
    Rule("level.highest", "level", "the level is the highest level of any portion"),
    # ISM-ID-00060 to 00063 (SI, SI-G, TK, HCS at the resource level) and
    # 00186 (SI-G sub-compartments): every SCI control system, compartment
    # and sub-compartment of a portion stands in the banner.
    Rule("sci.union", "sci", "every SCI system, compartment and sub-compartment of a portion"),
    # ISM-ID-00067 (ORCON), 00068 (IMCON), 00070 (NOFORN), 00071 (PROPIN),
    # 00081 (FISA); 32 CFR 2002.20(b) and the CUI Marking Handbook for the
    # limited dissemination controls (FEDCON, NOCON, DL ONLY) of CUI.
    Rule("dissemination.union", "dissemination",
         "every restricting dissemination control of a portion (NOFORN, ORCON, IMCON, PROPIN, "
         "FISA, FEDCON, NOCON, DL ONLY)"),
    # 32 CFR 2002.20(b)(3): a CUI banner names the specified categories
    # (SP-) of its portions.
    Rule("category.union", "category", "every CUI specified category (SP-) of a portion"),
    # ISM-ID-00318: the banner's REL TO list is the intersection of the
    # portions' lists (FVEY and ACGU taken as their countries); ISM-ID-00088:
    # a classified portion without REL TO, or a portion with NOFORN, RELIDO
    # or DISPLAY ONLY and no REL TO, leaves the banner no REL TO.
    Rule("release.intersection", "release",
         "REL TO: the countries every portion releases to; a classified portion without "
         "REL TO, or any NOFORN portion, rules it out"),
    # ISM-ID-00318: no REL TO when the lists have no country in common. What
    # no foreign country may receive whole is NOFORN (DoDM 5200.01 Vol 2,
    # Encl 4, NOFORN: not releasable to foreign nationals), so the banner
    # says so.
    Rule("release.nothing-in-common", "release",
         "NOFORN when the portions' REL TO lists have no country but USA in common"),
    # ISM-ID-00132 (RELIDO at the resource level needs it in every
    # classified portion); DISPLAY ONLY likewise (ISM-ID-00320).
    Rule("release.permissions", "release",
         "RELIDO and DISPLAY ONLY only when every portion needing a foreign-disclosure "
         "decision carries them"),
)


@dataclass(frozen=True)
class Finding:
    """A problem the roll-up found: where (None: the banner's own line),
    its code, how bad, and what."""
    line: int | None
    code: str
    message: str
    warning: bool = False
    path: str | None = None  # the portion's file, when not the source

@dataclass(frozen=True)
class Rolled:
    """The marking the portions call for, as `roll_up` derives it."""
    scheme: str
    rank: int
    sci: frozenset[str] = frozenset()
    restrictions: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    rel_to: frozenset[str] | None = None  # expanded country names; None: no REL TO
    permissions: frozenset[str] = frozenset()

    def banner(self) -> str:
        """As a banner line: SECRET//SI-G ABC/TK//NOFORN."""
        return format_marking(self, SCHEMES[self.scheme], long=True)

    def portion(self) -> str:
        """As a portion mark (without brackets): S//SI-G ABC/TK//NF."""
        return format_marking(self, PORTION_LEVELS[self.scheme], long=False)


def format_marking(rolled: Rolled, levels: Sequence[str], long: bool) -> str:
    groups = [levels[rolled.rank]]
    if rolled.scheme != "us":
        return groups[0]
    if rolled.sci:
        groups.append("/".join(format_sci(rolled.sci)))
    if rolled.categories:
        groups.append("/".join(sorted(rolled.categories)))
    words = rolled.restrictions | rolled.permissions | ({"REL TO"} if rolled.rel_to else set())
    dissemination = [(rel_to_text(rolled.rel_to) if word == "REL TO" and rolled.rel_to else
                      word if long else SHORT_FORMS.get(word, word))
                     for word in DISSEMINATION_ORDER if word in words]
    if dissemination:
        groups.append("/".join(dissemination))
    return "//".join(groups)


def format_sci(paths: Iterable[str]) -> list[str]:
    """SCI paths as banner items: {SI, SI-G, SI-G ABC, TK} -> SI-G ABC, TK."""
    paths = set(paths)
    items = []
    for system in SCI_SYSTEMS:
        if system not in paths:
            continue
        compartments = sorted({p.split(" ")[0] for p in paths if p.startswith(system + "-")})
        if not compartments:
            items.append(system)
            continue
        parts = []
        for compartment in compartments:
            subs = sorted(p.split(" ", 1)[1] for p in paths if p.startswith(compartment + " "))
            parts.append(" ".join([compartment.split("-", 1)[1], *subs]))
        items.append(system + "-" + "-".join(parts))
    return items


def leaves(paths: frozenset[str]) -> list[str]:
    """The most specific SCI paths: none of them a prefix of another."""
    return sorted(p for p in paths
                  if not any(q != p and (q.startswith(p + "-") or q.startswith(p + " ")) for q in paths))


def expand(names: Iterable[str]) -> frozenset[str]:
    """A REL TO list as countries: FVEY and ACGU as their members."""
    return frozenset().union(*(TETRAGRAPH_MEMBERS.get(name, frozenset((name,))) for name in names))


def rel_to_text(countries: Iterable[str]) -> str:
    """REL TO USA, then trigraphs alphabetically, then tetragraphs."""
    rest = set(countries) - {"USA"}
    return "REL TO " + ", ".join(["USA", *sorted(rest & COUNTRIES), *sorted(rest - COUNTRIES)])


def needs_disclosure_decision(portion: Marking) -> bool:
    """A portion whose foreign release someone decided, or must decide:
    a classified one, or one carrying a foreign-disclosure control
    (ISM-ID-00088 counts these)."""
    return portion.classified or bool(portion.controls & {"NOFORN", "REL TO", *PERMISSIONS})


def roll_up(banner: Marking, banner_text: str, portions: Sequence[Portion]
            ) -> tuple[Rolled, m.RollUp, list[Finding]]:
    """The marking the portions call for (ROLL_UP), the banner explained
    part by part, and what is wrong: errors at the portions that the banner
    fails, warnings (at the banner) for what it says beyond them."""
    findings: list[Finding] = []
    parts: list[m.RollUpPart] = []

    def part(kind: str, value: str, rule: str, sources: Iterable[Portion], status: str) -> None:
        parts.append(m.RollUpPart(part=kind, value=value, rule=rule,
                                  sources=tuple(p.source for p in sources), status=status))

    def over(what: str) -> None:
        findings.append(Finding(None, "marking.banner-above-portions",
                                f"the banner '{banner_text}' {what}", warning=True))

    scheme = banner.scheme
    levels = SCHEMES[scheme]
    # level.highest
    rank = max((p.marking.rank for p in portions), default=0)
    highest = [p for p in portions if p.marking.rank == rank]
    part("level", levels[rank], "level.highest", highest,
         "ok" if banner.rank == rank else "missing" if banner.rank < rank else "extra")
    for p in portions:
        if p.marking.rank > banner.rank:
            findings.append(p.finding("portion.above-banner",
                                    f"{p.label}portion mark '({p.mark})' is above the banner '{banner_text}'"))
    if portions and banner.rank > rank:
        over(f"is above every portion (the highest is '({highest[0].mark})'): "
             "is the document over-classified?")
    if scheme != "us":
        return Rolled(scheme, rank), m.RollUp(banner=banner_text, derived=levels[rank],
                                              parts=tuple(parts)), findings

    # sci.union
    sci = frozenset().union(*(p.marking.sci for p in portions))
    for path in leaves(sci):
        carriers = [p for p in portions if path in p.marking.sci]
        part("sci", path, "sci.union", carriers, "ok" if path in banner.sci else "missing")
    # dissemination.union and category.union
    restrictions = frozenset().union(*(p.marking.controls & set(RESTRICTIONS) for p in portions))
    categories = frozenset().union(*(p.marking.categories for p in portions))
    for word in [w for w in DISSEMINATION_ORDER if w in restrictions] + sorted(categories):
        carriers = [p for p in portions if word in p.marking.controls]
        part("category" if word.startswith("SP-") else "dissemination", word,
             "category.union" if word.startswith("SP-") else "dissemination.union", carriers,
             "ok" if word in banner.controls else "missing")
    for p in portions:
        missing = leaves(p.marking.sci - banner.sci)
        missing += sorted((p.marking.controls & set(RESTRICTIONS)) - banner.controls)
        missing += sorted(p.marking.categories - banner.controls)
        if missing:
            findings.append(p.finding("portion.above-banner",
                                    f"{p.label}portion mark '({p.mark})' carries {', '.join(missing)}, "
                                    f"which the banner '{banner_text}' lacks"))
    if portions:
        extra_sci = leaves(banner.sci - sci)
        extra_words = [w for w in DISSEMINATION_ORDER
                       if w in (banner.controls & set(RESTRICTIONS)) - restrictions and w != "NOFORN"]
        extra_categories = sorted(banner.categories - categories)
        # What the banner says beyond its portions, as parts with no source
        # (NOFORN is the release rules' to judge).
        for kind, rule, values in (("sci", "sci.union", extra_sci),
                                   ("dissemination", "dissemination.union", extra_words),
                                   ("category", "category.union", extra_categories)):
            for value in values:
                part(kind, value, rule, (), "extra")
        if extra := extra_sci + extra_words + extra_categories:
            over(f"carries {', '.join(extra)}, which no portion does")

    # release.intersection, release.nothing-in-common, release.permissions
    release(banner, banner_text, portions, part, findings, over)
    permissions_roll_up(banner, banner_text, portions, part, findings, over)
    rolled = derive(portions, expand(banner.rel_to) if banner.rel_to else None)
    return rolled, m.RollUp(banner=banner_text, derived=rolled.banner(), parts=tuple(parts)), findings


@dataclass(frozen=True)
class Release:
    """What the portions say of foreign release (release.* rules)."""
    listed: tuple[tuple[Portion, frozenset[str]], ...]  # portions with REL TO, as countries
    ruling_out: tuple[Portion, ...]  # portions that leave the banner no REL TO
    noforn: tuple[Portion, ...]  # portions marked NOFORN
    emptied_by: Portion | None  # the portion after which no country but USA is common
    rel_to: frozenset[str] | None  # the banner's countries; None: no REL TO

    @property
    def nothing_in_common(self) -> bool:
        return self.emptied_by is not None

    @property
    def needs_noforn(self) -> bool:
        return bool(self.noforn) or self.nothing_in_common


def release_of(portions: Sequence[Portion], banner_rel: frozenset[str] | None = None) -> Release:
    """release.intersection and release.nothing-in-common over the portions;
    a bare (REL) releases to the banner's list (`banner_rel`)."""
    listed = tuple((p, expand(p.marking.rel_to) if p.marking.rel_to else banner_rel)
                   for p in portions if p.marking.rel_to is not None
                   and (p.marking.rel_to or banner_rel is not None))
    ruling_out = tuple(p for p in portions if "REL TO" not in p.marking.controls
                       and needs_disclosure_decision(p.marking))
    common: frozenset[str] | None = None
    emptied_by = None
    for p, countries in listed:
        assert countries is not None
        common = countries if common is None else common & countries
        if emptied_by is None and common <= {"USA"}:
            emptied_by = p
    rel_to = common if listed and not ruling_out and emptied_by is None else None
    return Release(tuple((p, c) for p, c in listed if c is not None), ruling_out,
                   tuple(p for p in portions if "NOFORN" in p.marking.controls), emptied_by, rel_to)


def derive(portions: Sequence[Portion], banner_rel: frozenset[str] | None = None) -> Rolled:
    """The marking ROLL_UP derives from some portions (all of one scheme)."""
    scheme = portions[0].marking.scheme if portions else "us"
    rank = max((p.marking.rank for p in portions), default=0)
    if scheme != "us":
        return Rolled(scheme, rank)
    said = release_of(portions, banner_rel)
    deciding = [p.marking for p in portions if needs_disclosure_decision(p.marking)]
    permissions = frozenset(word for word in PERMISSIONS
                            if deciding and all(word in d.controls for d in deciding))
    restrictions = frozenset().union(*(p.marking.controls & set(RESTRICTIONS) for p in portions))
    return Rolled("us", rank, frozenset().union(*(p.marking.sci for p in portions)),
                  restrictions | ({"NOFORN"} if said.needs_noforn else set()),
                  frozenset().union(*(p.marking.categories for p in portions)),
                  said.rel_to, permissions)


def release(banner: Marking, banner_text: str, portions: Sequence[Portion], part,
            findings: list[Finding], over) -> None:
    """The release rules' parts and findings: REL TO and NOFORN."""
    banner_rel = expand(banner.rel_to) if banner.rel_to else None
    for p in portions:
        if p.marking.rel_to == () and banner_rel is None:
            findings.append(p.finding("portion.release",
                                    f"{p.label}portion mark '({p.mark})' releases to the banner's REL TO "
                                    f"list, but the banner '{banner_text}' has none"))
    said = release_of(portions, banner_rel)
    rel_to = said.rel_to
    carriers = [p for p, _ in said.listed]
    if rel_to is not None:
        status = ("ok" if banner_rel == rel_to else
                  "extra" if banner_rel is None or banner_rel < rel_to else "missing")
        part("release", rel_to_text(rel_to), "release.intersection", carriers, status)
    elif carriers:
        part("release", "no REL TO", "release.intersection", said.ruling_out or carriers,
             "ok" if banner_rel is None else "missing")
    if said.nothing_in_common and not said.noforn:
        part("dissemination", "NOFORN", "release.nothing-in-common", carriers,
             "ok" if "NOFORN" in banner.controls else "missing")
        if "NOFORN" not in banner.controls and said.emptied_by is not None:
            findings.append(said.emptied_by.finding("portion.release",
                                    "the REL TO lists of the portions have no country but USA in "
                                    f"common once '({said.emptied_by.mark})' is read: the banner "
                                    f"'{banner_text}' must be NOFORN"))
    if banner_rel is not None:
        for p in said.ruling_out:
            why = "is NOFORN" if "NOFORN" in p.marking.controls else "has no REL TO"
            findings.append(p.finding("portion.release",
                                    f"{p.label}portion mark '({p.mark})' {why}, so the banner "
                                    f"'{banner_text}' cannot release it (REL TO)"))
        for p, countries in said.listed:
            if banner_rel - countries:
                findings.append(p.finding("portion.release",
                                        f"{p.label}portion mark '({p.mark})' does not release to "
                                        f"{', '.join(sorted(banner_rel - countries))}, which the "
                                        f"banner '{banner_text}' names in its REL TO"))
        if rel_to is not None and banner_rel < rel_to:
            over(f"releases to fewer countries than its portions allow ({rel_to_text(rel_to)})")
    elif rel_to is not None and "NOFORN" not in banner.controls:
        over(f"names no release, but every portion allows {rel_to_text(rel_to)}")
    if "NOFORN" in banner.controls and not said.needs_noforn and portions:
        over("carries NOFORN, which no portion does"
             + (f" (they allow {rel_to_text(rel_to)})" if rel_to else ""))


def permissions_roll_up(banner: Marking, banner_text: str, portions: Sequence[Portion], part,
                        findings: list[Finding], over) -> None:
    """RELIDO and DISPLAY ONLY: in the banner only if every portion that
    needs a foreign-disclosure decision carries them."""
    deciding = [p for p in portions if needs_disclosure_decision(p.marking)]
    for word in PERMISSIONS:
        carriers = [p for p in deciding if word in p.marking.controls]
        lacking = [p for p in deciding if word not in p.marking.controls]
        if carriers and not lacking:
            part("dissemination", word, "release.permissions", carriers,
                 "ok" if word in banner.controls else "extra")
            if word not in banner.controls and "NOFORN" not in banner.controls:
                over(f"lacks {word}, which every portion allows")
        elif word in banner.controls:
            part("dissemination", word, "release.permissions", lacking, "missing")
            for p in lacking:
                findings.append(p.finding("portion.release",
                                        f"{p.label}portion mark '({p.mark})' lacks {word}, which the banner "
                                        f"'{banner_text}' grants to the whole document"))


def portion_problem(mark: str, portion: Marking, banner: Marking, banner_text: str) -> str | None:
    """Why a valid portion cannot stand under this banner (its level, SCI,
    restricting controls and CUI categories), or None."""
    if portion.rank > banner.rank:
        return f"portion mark '({mark})' is above the banner '{banner_text}'"
    missing = leaves(portion.sci - banner.sci)
    missing += sorted((portion.controls & set(RESTRICTIONS)) - banner.controls)
    missing += sorted(portion.categories - banner.controls)
    if missing:
        return (f"portion mark '({mark})' carries {', '.join(missing)}, which the banner "
                f"'{banner_text}' lacks")
    return None


def banner_warnings(banner: Marking, banner_text: str, portions: list[tuple[str, Marking]]) -> list[str]:
    """What looks over-marked: the roll-up's warnings, as messages."""
    _, _, findings = roll_up(banner, banner_text, [Portion(mark, marking, None)
                                                   for mark, marking in portions])
    return [f.message for f in findings if f.warning]


def explain(rollup: m.RollUp) -> str:
    """How the banner follows from the portions, in one line:
    `banner SECRET//NOFORN: level SECRET from line 12 (S//NF); NOFORN from
    line 12 (S//NF)`."""
    said = []
    for item in rollup.parts:
        label = item.value if item.part != "level" else f"level {item.value}"
        where = ", ".join(f"{s.path + ' ' if s.path else ''}line {s.line} ({s.mark})" if s.line
                          else f"the {s.what} ({s.mark})" for s in item.sources[:3])
        more = f" and {len(item.sources) - 3} more" if len(item.sources) > 3 else ""
        status = {"ok": "", "missing": " [not in the banner]",
                  "extra": " [the banner says more]"}[item.status]
        said.append(f"{label} from {where}{more}{status}" if where else f"{label}{status}")
    text = f"banner {rollup.banner}: " + ("; ".join(said) if said else "no portions")
    if rollup.derived != rollup.banner:
        text += f"; the portions call for {rollup.derived}"
    return text


def rollup_dict(rollup: m.RollUp | None) -> dict | None:
    """The roll-up as plain JSON data, for `--report`."""
    if rollup is None:
        return None
    return {"banner": rollup.banner, "derived": rollup.derived,
            "parts": [{"part": p.part, "value": p.value, "rule": p.rule, "status": p.status,
                       "sources": [{"line": s.line, "mark": s.mark, "what": s.what,
                                    **({"path": s.path} if s.path else {})}
                                   for s in p.sources]} for p in rollup.parts]}


def level_class(value: str) -> str:
    """A CSS-friendly name for a banner's colour: its level, and `sci`
    when it carries SCI controls (SCI banners are yellow)."""
    level, _, controls = value.partition("//")
    if any(SCI_ITEM.fullmatch(item) or item == "SCI" for item in control_items(controls)):
        return "sci"
    return "-".join(uk_descriptor(level.strip())[0].lower().split())

