"""`briefing new NAME [--type memo]`: a starter from `templates/new/<type>.md`
(so a house can give its own), with the title and date filled in."""

from __future__ import annotations

import datetime
import json
import shlex
import string
from pathlib import Path

from pipeline.render.templates import Templates


def starter_path(name: str) -> Path:
    """NAME, or NAME.md when it has no .md suffix."""
    path = Path(name)
    return path if path.suffix == ".md" else path.with_name(path.name + ".md")


def starter_text(path: Path, templates: Templates, today: datetime.date, kind: str = "briefing") -> str:
    """The template with `$title`, `$date` and `$file` filled in. The title
    is the file's name in words, as a YAML string so any name stays valid."""
    words = path.stem.replace("-", " ").replace("_", " ").strip() or "Untitled"
    title = json.dumps(words[:1].upper() + words[1:], ensure_ascii=False)
    text = templates.path(f"new/{kind}.md").read_text(encoding="utf-8")
    return string.Template(text).safe_substitute(title=title, date=today.isoformat(),
                                                 file=shlex.quote(str(path)))
