"""Hugo's figure shortcode (`{{< figure src="map.png" alt="…" caption="…" >}}`),
built into Hugo and written by its sites and by blogdown for every plot
(rOpenSci's blog), read as the captioned picture Hugo shows: a line of its
own becomes `![caption](src "title"){fig-alt="alt" width=…}`, which the
reader reads as any figure (its file checked, its alt text said). Other
shortcodes run code or read other files, and are still left out
(read/markdown.py).
"""

from __future__ import annotations

import re

LINE = re.compile(r"(?P<indent>[ \t]*)\{\{(?P<open>[<%])\s*figure\s+(?P<attrs>.*?)\s*(?P<close>[>%])\}\}[ \t]*$")
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))""")
SIZE = re.compile(r"\d+(?:\.\d+)?(?:px|%|em|cm|mm|in)?")


def figures(lines: list[str]) -> list[str]:
    """`lines`, each figure shortcode alone on its line as Markdown's figure."""
    if not any("figure" in line and "{{" in line for line in lines):
        return lines
    return [figure(found) if (found := LINE.match(line)) and matched(found) else line for line in lines]


def matched(found: re.Match[str]) -> bool:
    return (found["open"], found["close"]) in (("<", ">"), ("%", "%"))


def figure(found: re.Match[str]) -> str:
    attrs = {match[1].lower(): next(v for v in match.groups()[1:] if v is not None).replace('\\"', '"')
             for match in ATTRIBUTE.finditer(found["attrs"])}
    src = attrs.get("src", "")
    if not src or any(c in src for c in " <>()"):
        return found[0]  # no picture, or a path Markdown cannot hold: left out as any shortcode
    # Hugo captions it with its caption (or title) alone: the alt text is said, not shown.
    caption = attrs.get("caption") or attrs.get("title") or ""
    # A link's title has no escapes: a straight double quote in it is a curly one.
    title = ' "' + attrs["title"].replace('"', "\u201d") + '"' if attrs.get("title") and attrs.get("caption") else ""
    extras = [f"fig-alt={quoted(attrs['alt'])}"] if attrs.get("alt") and attrs.get("alt") != caption else []
    extras += [f"{side}={attrs[side]}" for side in ("width", "height") if SIZE.fullmatch(attrs.get(side, ""))]
    return f"{found['indent']}![{bracketed(caption)}]({src}{title})" + (f"{{{' '.join(extras)}}}" if extras else "")


def quoted(text: str) -> str:
    """An attribute's value in the quotes it does not hold (an attribute's
    value has no escapes)."""
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"' + text.replace('"', "\u201d") + '"'


def bracketed(text: str) -> str:
    """A caption inside `[…]`: its brackets escaped, so they do not end it."""
    return text.replace("[", "\\[").replace("]", "\\]")
