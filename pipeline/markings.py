"""Classification markings: which values each marking scheme accepts.

The rules live here; wording and colours live in templates/. A US marking
may carry CAPCO-style controls after `//` (SECRET//NOFORN,
SECRET//REL TO USA, GBR); NATO and UK markings stand alone.
"""

from __future__ import annotations

import re

SCHEMES: dict[str, tuple[str, ...]] = {
    "us": ("UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET"),
    "nato": ("NATO UNCLASSIFIED", "NATO RESTRICTED", "NATO CONFIDENTIAL", "NATO SECRET",
             "COSMIC TOP SECRET"),
    "uk": ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"),
}
# Without `marking_scheme`, US and NATO markings are both recognised.
DEFAULT_SCHEMES = ("us", "nato")
CONTROL = re.compile(r"[A-Z0-9][A-Z0-9 ,\-/]*")


def classification_problem(value: str, scheme: str | None) -> str | None:
    """Why `value` is not a marking the scheme accepts, or None if it is."""
    schemes = (scheme,) if scheme else DEFAULT_SCHEMES
    level, slashes, controls = value.partition("//")
    level = level.strip()
    for name in schemes:
        if level in SCHEMES[name] and (not slashes or name == "us"):
            if slashes and not all(CONTROL.fullmatch(part.strip()) for part in controls.split("//")):
                return (f"'classification': the controls after // in '{value}' must be "
                        "upper-case words, such as NOFORN or REL TO USA, GBR")
            return None
    accepted = "; ".join(", ".join(SCHEMES[name]) for name in schemes)
    hint = "" if scheme else " (for UK markings set marking_scheme: uk)"
    controls_note = ", US levels with controls after // such as SECRET//NOFORN" if "us" in schemes else ""
    return f"'classification' must be one of {accepted}{controls_note}{hint}; not '{value}'"
