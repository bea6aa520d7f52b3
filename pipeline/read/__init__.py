"""Stage 1: a source file into the document model: its text, its front
matter, its Markdown, the figures it names."""
