"""What a build can make: the output formats and the PDF flavours. Apart,
so the command line knows them without loading the pipeline."""

FORMATS = ("pdf", "docx", "html")

# WeasyPrint's names. Every one is tagged for screen readers; PDF/UA-1 says
# so in its metadata, PDF/A is for archives, and PDF/A-3 carries the
# Markdown source inside the PDF.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2b", "pdf/a-3b")
