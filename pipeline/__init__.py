"""briefing: Markdown briefings to PDF, DOCX and HTML from one document model."""

__version__ = "0.1.0"

# Before any class of the package is made: see dataclass_code.py.
from pipeline import dataclass_code  # noqa: E402

dataclass_code.install()
