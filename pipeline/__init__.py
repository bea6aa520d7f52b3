"""briefing: Markdown briefings to PDF, DOCX and HTML from one document model."""

__version__ = "0.1.0"

# Before any class or pattern of the package is made: see compiled.py.
from pipeline import compiled  # noqa: E402

compiled.install()
