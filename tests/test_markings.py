"""Which classification values each marking scheme accepts."""

import pytest

from pipeline.markings import classification_problem


@pytest.mark.parametrize("value, scheme", [
    ("UNCLASSIFIED", None), ("CUI", None), ("CONFIDENTIAL", None), ("SECRET", None),
    ("TOP SECRET", None), ("SECRET//NOFORN", None), ("SECRET//REL TO USA, GBR", None),
    ("TOP SECRET//SI-GAMMA/TK//NOFORN", None),
    ("NATO UNCLASSIFIED", None), ("NATO RESTRICTED", None), ("NATO CONFIDENTIAL", None),
    ("NATO SECRET", None), ("COSMIC TOP SECRET", None), ("NATO SECRET", "nato"),
    ("OFFICIAL", "uk"), ("OFFICIAL-SENSITIVE", "uk"), ("SECRET", "uk"), ("TOP SECRET", "uk"),
    ("SECRET", "us"),
])
def test_accepted(value, scheme):
    assert classification_problem(value, scheme) is None


@pytest.mark.parametrize("value, scheme, words", [
    ("Unclassified", None, "must be one of UNCLASSIFIED, CUI"),
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
    assert problem is not None and words in problem and f"'{value}'" in problem
