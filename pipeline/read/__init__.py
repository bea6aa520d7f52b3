"""Stage 1: a source file into the document model: its text, its front
matter, its Markdown, the figures it names."""

# pymdownx.util takes two path functions from urllib.request, which loads
# http.client, email and ssl with it (84 modules, 60 ms of every build's
# start) and which reading never calls: they stay placeholders until it does.
from pipeline.lazy import deferred  # noqa: E402

with deferred({"urllib.request": ("pathname2url", "url2pathname")}):
    import pymdownx.util  # noqa: E402, F401
