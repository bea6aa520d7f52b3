"""briefing: Markdown briefings to PDF, DOCX and HTML from one document model."""

__version__ = "0.1.0"
