"""Which classification values each marking scheme accepts."""

import pytest

from pipeline.markings.rules import classification_problem


@pytest.mark.parametrize("value, scheme", [
    ("UNCLASSIFIED", None), ("CUI", None), ("CONFIDENTIAL", None), ("SECRET", None),
    ("TOP SECRET", None), ("SECRET//NOFORN", None), ("SECRET//REL TO USA, GBR", None),
    ("TOP SECRET//SI-GAMMA/TK//ORCON/NOFORN", None), ("SECRET//REL TO USA, AUS, GBR, FVEY", None),
    ("CUI//SP-CTI//FEDCON", None), ("CUI//PRVCY", None), ("SECRET//ORCON/NOFORN", None),
    ("NATO UNCLASSIFIED", None), ("NATO RESTRICTED", None), ("NATO CONFIDENTIAL", None),
    ("NATO SECRET", None), ("COSMIC TOP SECRET", None), ("NATO SECRET", "nato"),
    ("OFFICIAL", "uk"), ("OFFICIAL-SENSITIVE", "uk"), ("SECRET", "uk"), ("TOP SECRET", "uk"),
    ("SECRET", "us"),
])
def test_accepted(value, scheme):
    assert classification_problem(value, scheme) is None


@pytest.mark.parametrize("value, scheme, words", [
    ("Unclassified", None, "must be written in capitals: 'UNCLASSIFIED'"),
    ("Unclassifed", None, "must be one of UNCLASSIFIED, CUI"),
    ("SECRET//NOFRON", None, "unknown control 'NOFRON'; did you mean NOFORN?"),
    ("SECRET//REL TO USA, GRB", None, "'GRB' in 'REL TO USA, GRB' is not an ISO 3166 trigraph"),
    ("SECRET//REL TO USA, GBR, AUS", None, "trigraphs in alphabetical order, then tetragraphs: "
                                           "REL TO USA, AUS, GBR"),
    ("SECRET//REL TO GBR", None, "must start REL TO USA"),
    ("SECRET//BANANA", None, "unknown control 'BANANA'; known controls: NOFORN"),
    ("BANANA", None, "for UK markings set marking_scheme: uk"),
    ("OFFICIAL", None, "for UK markings set marking_scheme: uk"),
    ("OFFICIAL//NOFORN", "uk", "must be one of OFFICIAL, OFFICIAL-SENSITIVE"),
    ("NATO SECRET//NOFORN", None, "must be one of"),
    ("SECRET//noforn", None, "controls after // in 'SECRET//noforn' must be upper-case words"),
    ("SECRET//", None, "controls after //"),
    ("CUI", "uk", "must be one of OFFICIAL"),
])
def test_refused_with_what_is_accepted(value, scheme, words):
    problem = classification_problem(value, scheme)
    assert problem is not None and words in problem
    assert f"'{value}'" in problem or problem.startswith("'classification': ")


# Portion marks ---------------------------------------------------------------

from pipeline.markings.blocks import block_problems, marking_blocks
from pipeline.markings.rules import (Marking, banner_warnings, level_class, portion_problem, read_banner,
                               read_portion)
from pipeline.model import Meta


@pytest.mark.parametrize("mark, scheme, rank, controls", [
    ("U", "us", 0, set()), ("CUI", "us", 1, set()), ("C", "us", 2, set()),
    ("S//NF", "us", 3, {"NOFORN"}), ("TS//SI-G/TK//OC/NF", "us", 4, {"SI", "TK", "ORCON", "NOFORN"}),
    ("S//REL TO USA, GBR", "us", 3, {"REL TO"}), ("S//REL", "us", 3, {"REL TO"}), ("S//OC/NF", "us", 3, {"ORCON", "NOFORN"}),
    ("CUI//SP-PRVCY", "us", 1, {"SP-PRVCY"}), ("CUI//FEDCON", "us", 1, {"FEDCON"}),
    ("NS", "nato", 3, set()), ("CTS", "nato", 4, set()), ("OS", "uk", 1, set()),
])
def test_portion_marks_read(mark, scheme, rank, controls):
    read = read_portion(mark, scheme)
    assert isinstance(read, Marking)
    assert (read.scheme, read.rank, read.controls) == (scheme, rank, frozenset(controls))


@pytest.mark.parametrize("mark, scheme, words", [
    ("Q", "us", "unknown portion mark '(Q)': US portion marks are (U), (CUI), (C), (S), (TS)"),
    ("S//NOFORN", "us", "portion marks use the short form NF"),
    ("S//XYZ", "us", "unknown control 'XYZ'"),
    ("S//", "us", "has // but no control"),
    ("S//REL TO USA, GRB", "us", "'GRB' in 'REL TO USA, GRB' is not an ISO 3166 trigraph"),
    ("S", "nato", "NATO portion marks are (NU), (NR), (NC), (NS), (CTS)"),
    ("NS//NF", "nato", "NATO portion marks take no controls"),
])
def test_portion_marks_refused(mark, scheme, words):
    problem = read_portion(mark, scheme)
    assert isinstance(problem, str) and words in problem


def test_portion_against_the_banner():
    banner = read_banner("SECRET//NOFORN", None)
    assert portion_problem("S//NF", read_portion("S//NF", "us"), banner, "SECRET//NOFORN") is None
    assert "above the banner" in portion_problem("TS", read_portion("TS", "us"), banner, "S")
    plain = read_banner("SECRET", None)
    assert "carries NOFORN, which the banner 'SECRET' lacks" in portion_problem(
        "S//NF", read_portion("S//NF", "us"), plain, "SECRET")
    sci = read_banner("TOP SECRET//SI-GAMMA/TK//ORCON/NOFORN", None)
    assert portion_problem("TS//SI-G//OC/NF", read_portion("TS//SI-G//OC/NF", "us"), sci, "TS") is None
    assert "carries HCS" in portion_problem("S//HCS//NF", read_portion("S//HCS//NF", "us"), sci, "TS")
    cui = read_banner("CUI", None)
    assert "carries SP-PRVCY" in portion_problem("CUI//SP-PRVCY", read_portion("CUI//SP-PRVCY", "us"),
                                                 cui, "CUI")


def test_banner_warnings_for_over_marking():
    banner = read_banner("SECRET//NOFORN", None)
    seen = [("U", read_portion("U", "us")), ("C", read_portion("C", "us"))]
    warnings = banner_warnings(banner, "SECRET//NOFORN", seen)
    assert len(warnings) == 2
    assert "above every portion (the highest is '(C)')" in warnings[0]
    assert "carries NOFORN, which no portion does" in warnings[1]
    assert banner_warnings(banner, "S", [("S//NF", read_portion("S//NF", "us"))]) == []
    assert banner_warnings(banner, "S", []) == []


def test_level_class_names_the_banner_colour():
    assert level_class("SECRET//NOFORN") == "secret"
    assert level_class("TOP SECRET//SI-GAMMA//ORCON/NOFORN") == "sci"
    assert level_class("COSMIC TOP SECRET") == "cosmic-top-secret"
    assert level_class("OFFICIAL-SENSITIVE") == "official-sensitive"


# Marking blocks ---------------------------------------------------------------

def test_blocks_required_by_level():
    assert block_problems(Meta(title="T", classification="UNCLASSIFIED")) == []
    keys = [message.split("'")[1] for _, message in block_problems(Meta(title="T", classification="CUI"))]
    assert keys == ["controlled_by", "cui_category", "poc", "dissemination"]
    keys = [message.split("'")[1] for _, message in block_problems(Meta(title="T", classification="SECRET"))]
    assert keys == ["classified_by", "declassify_on", "derived_from"]
    # NATO and UK documents carry no US classification authority block.
    assert block_problems(Meta(title="T", classification="NATO SECRET")) == []
    assert block_problems(Meta(title="T", classification="SECRET", marking_scheme="uk")) == []


def test_distribution_rules():
    def problems(**keys):
        return [m for _, m in block_problems(Meta(title="T", classification="UNCLASSIFIED", **keys))]
    assert problems(distribution="A") == []
    assert len(problems(distribution="B")) == 3
    assert problems(distribution="F", controlling_office="J5", date="2026-11-25") == []
    assert problems(distribution="E", controlling_office="J5", date="2026-11-25",
                    distribution_reason="critical TECHNOLOGY") == []
    assert "one of A, B, C, D, E, F" in problems(distribution="Z")[0]


WORDING = {"cui_block": {"controlled_by": "By: {value}", "cui_category": "Cat: {value}",
                         "dissemination": "LDC: {value}", "poc": "POC: {value}"},
           "authority_block": {"classified_by": "CB: {value}", "derived_from": "DF: {value}",
                               "classification_reason": "R: {value}", "declassify_on": "DO: {value}"},
           "distribution": {"B": "B {reason} {date} {office}"}, "distribution_short": "DIST-{letter}"}


def test_marking_blocks_worded_from_the_templates():
    meta = Meta(title="T", classification="CUI", controlled_by=("DoD", "J5"), cui_category=("OPSEC",),
                poc="Ann", distribution="B", distribution_reason="operations security",
                distribution_date="2026-11-01", controlling_office="J5")
    blocks = marking_blocks(meta, WORDING, "markings.yaml")
    assert [(b.kind, b.lines) for b in blocks] == [
        ("cui", ("By: DoD", "By: J5", "Cat: OPSEC", "LDC: DIST-B", "POC: Ann")),
        ("distribution", ("B Operations Security 2026-11-01 J5",))]
    secret = Meta(title="T", classification="SECRET", classified_by="X", classification_reason="1.4(c)",
                  declassify_on="20501231")
    assert marking_blocks(secret, WORDING, "m.yaml")[0].lines == ("CB: X", "R: 1.4(c)", "DO: 20501231")


def test_bad_wording_is_an_error_naming_the_file():
    from pipeline.problems import BriefingError
    meta = Meta(title="T", classification="UNCLASSIFIED", distribution="B", distribution_reason="Critical Technology",
                date="2026", controlling_office="J5")
    with pytest.raises(BriefingError, match=r"m.yaml: wording 'distribution.B': bad placeholder"):
        marking_blocks(meta, {**WORDING, "distribution": {"B": "{when}"}}, "m.yaml")
    with pytest.raises(BriefingError, match=r"wording 'distribution.B' is missing"):
        marking_blocks(meta, {**WORDING, "distribution": {}}, "m.yaml")


@pytest.mark.parametrize("letter, opening", [
    ("A", "DISTRIBUTION STATEMENT A. Approved for public release. Distribution is unlimited."),
    ("B", "DISTRIBUTION STATEMENT B. Distribution authorized to U.S. Government agencies only "
          "(Critical Technology) (2026-11-01). Other requests for this document shall be referred to J5."),
    ("C", "DISTRIBUTION STATEMENT C. Distribution authorized to U.S. Government agencies and their "
          "contractors (Critical Technology) (2026-11-01). Other requests for this document shall be "
          "referred to J5."),
    ("D", "DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD "
          "contractors only (Critical Technology) (2026-11-01). Other requests shall be referred to J5."),
    ("E", "DISTRIBUTION STATEMENT E. Distribution authorized to DoD Components only (Critical Technology) "
          "(2026-11-01). Other requests shall be referred to J5."),
    ("F", "DISTRIBUTION STATEMENT F. Further dissemination only as directed by J5 (2026-11-01) or higher "
          "DoD authority."),
])
def test_the_six_statements_in_full(letter, opening):
    from pipeline.markings.blocks import first_page_blocks
    from pipeline.render.templates import Templates
    meta = Meta(title="T", classification="UNCLASSIFIED", distribution=letter,
                distribution_reason="critical technology", controlling_office="J5",
                distribution_date="2026-11-01")
    assert block_problems(meta) == []
    assert first_page_blocks(meta, Templates())[-1].lines == (opening,)


def test_a_build_reads_its_banner_once(write, tmp_path):
    """The checks, the first page's blocks and the metadata share one reading."""
    from pipeline.markings.rules import read_banner
    path = write("# (U) One\n\n(S//NF) Text.\n", front="---\ntitle: (U) T\nclassification: SECRET//NOFORN\n"
                 "portion_marking: true\nclassified_by: J. Smith, J2\nderived_from: Multiple Sources\n"
                 "declassify_on: '20511231'\n---\n")
    from pipeline.run.build import load
    from rendering import rendered
    read_banner.cache_clear()  # in this process: a command builds in a forked one
    doc = load(path)
    for fmt in ("html", "docx"):
        rendered(doc, fmt)
    assert read_banner.cache_info().misses == 1 and read_banner.cache_info().hits >= 3
