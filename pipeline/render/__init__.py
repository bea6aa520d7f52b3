"""Stage 3: the final model into each format: HTML, the print job for the
PDF, DOCX. Backends read the model and the templates, never Markdown."""
