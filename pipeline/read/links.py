"""Link targets, checked once, in the reader: what a link may point at.

A link may point anywhere a reader can follow it without harm: the web
(`https:`), mail and telephone (`mailto:`, `tel:`), an id in the page
(`#id`), or another file beside the briefing (`other.md`, `../x.html`,
`/url`, `other.md#part`), which is kept as written: nothing is fetched.
Refused, as errors: what runs a script or opens a local file
(`javascript:`, `vbscript:`, `data:`, `file:`, and a network path
`\\\\server\\share` or `//server/share`, which a page opened from disk reads
as a file; `//www.gov.uk/…`, a web host's address without its scheme, is
given https). A scheme we do not know (`ms-msdt:`, `smb:`) is shown as text
with a warning: a reader's program might act on it, and pandoc's output
would link it without a word.

The target is read as a browser would read it before its scheme is
judged: character references decoded (`javascript&#58;`), tabs and line
breaks anywhere dropped (`java<TAB>script:`), control characters and
spaces at the ends dropped, the scheme in any case (`JaVaScRiPt:`). A kept
target is then written as pandoc writes it: a space in it as `%20`, and
`<>|"{}[]^` and the backtick percent-encoded too (`escaped`).
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown.util import AMP_SUBSTITUTE

from pipeline.problems import excerpt
from pipeline.read.source import XML_INVALID

# Schemes kept as links: the web, mail, telephone and messaging, file
# transfer, identifiers readers' programs know, and the data stores and
# repositories a data team's pages point at (`s3://bucket/path`: the link
# was its words alone, the address nowhere).
KEPT = frozenset(("http", "https", "mailto", "tel", "sms", "ftp", "ftps", "sftp", "news", "nntp",
                  "irc", "ircs", "xmpp", "geo", "urn", "doi", "webcal",
                  "s3", "gs", "hdfs", "abfs", "abfss", "wasb", "wasbs", "ssh", "git", "svn"))
REFUSED = {
    "javascript": "runs a script",
    "vbscript": "runs a script",
    "data": "embeds content that can run a script",
    "file": "opens a local file",
}
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# What a browser's URL parser drops before it reads a scheme (WHATWG URL).
INSIDE = re.compile("[\t\n\r]")
ENDS = "".join(map(chr, range(0x21))) + "\x7f"


@dataclass(frozen=True, slots=True)
class Checked:
    target: str  # as the outputs write it
    problem: str | None = None  # what to tell the author
    severity: str = "error"  # "error": refused; "warning": shown as text
    code: str = "link.refused"

    @property
    def kept(self) -> bool:
        return self.problem is None


# Jekyll's Liquid (`{{ site.support_email }}`), Hugo's, Jinja's, or a
# placeholder a site's script fills, as the whole target (dwp's accessibility
# manual links `{wcagify}`; `a|b{c}` is a file's name, escaped as pandoc
# escapes it): a value the page's own site puts there, a broken relative
# link here.
TEMPLATE = re.compile(r"\{\{.*\}\}|\{%.*%\}|^\{[\w.-]+\}$")


# Words where an address stands (`[the docs](LINK TBD on access)`, a
# va.gov checklist's note to itself): spaces, and none of what an address
# or a file's name holds. GitHub makes no link of it; the link's text
# alone hid the note.
WORDS = re.compile(r"[^\s./#:?=&%]+(?:\s+[^\s./#:?=&%]+)+")
WORDS_CODE = "link.words"


# `//` and a host named as on the web (a dot and a top-level domain of
# letters), not a share's server (`//server/share`).
WEB_HOST = re.compile(r"//(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?::\d+)?(?:[/?#]|$)")


def check_link(href: str, angled: bool = False) -> Checked:
    """`angled`: the address was written in `<…>`, CommonMark's way of
    writing one with spaces (`[x](<My Notes>)`): never words."""
    checked = judged(href, angled)
    return dataclasses.replace(checked, target=escaped(checked.target)) if checked.kept else checked


def judged(href: str, angled: bool = False) -> Checked:
    target = normalized(href)
    shown = excerpt(target or href, 60)
    if bad := XML_INVALID.search(target):  # from a character reference (`&#12;`): no output holds one
        return Checked(XML_INVALID.sub("", target), f"link target '{shown}' holds the character "
                       f"U+{ord(bad[0]):04X}, which a briefing may not contain", code="link.character")
    if target.startswith("#"):
        return Checked(target)
    if WEB_HOST.match(target):
        # `//www.gov.uk/guidance/…` (the MOD's service manual): a web address
        # its site's pages reached over https, which a page opened from disk
        # would take for a network share. Its scheme is written for it.
        return Checked("https:" + target)
    if target.startswith(("\\\\", "//", "\\/", "/\\")):
        return Checked(target, f"link target '{shown}' is a network path, which a page opened from "
                       "disk reads as a local file: write its scheme (https://…)")
    if TEMPLATE.search(target):
        return Checked(target, f"link target '{shown}' is a template expression, which only the "
                       "site generator the page was written for fills in: shown as text", "warning",
                       "link.template")
    if not angled and WORDS.fullmatch(target):
        return Checked(target, f"link target '{shown}' is words, not an address (GitHub makes no link of "
                       "it): shown as written, brackets and all", "warning", WORDS_CODE)
    found = SCHEME.match(target)
    if found is None:
        return Checked(target)  # a relative link: another file, kept as written
    scheme = found[1].lower()
    if len(scheme) == 1:  # `C:\Users\…`: a drive, on Windows
        return Checked(target, f"link target '{shown}' is a path on a local drive, which "
                       "opens a local file: link a relative path or an https address")
    if scheme in REFUSED:
        return Checked(target, f"link target '{shown}' is not allowed: a {scheme}: link "
                       f"{REFUSED[scheme]}; use https, mailto, tel, #id or a relative path")
    if scheme not in KEPT:
        return Checked(target, f"link target '{shown}' uses the scheme '{excerpt(scheme, 20)}:', "
                       "which briefing does not link: shown as text", "warning", "link.scheme")
    parts = urlsplit(target)
    if scheme in ("http", "https", "ftp", "ftps", "sftp") and not parts.netloc:
        return Checked(target, f"link target '{shown}' has no host: shown as text", "warning",
                       "link.no-host")
    if scheme in ("mailto", "tel", "sms") and not parts.path.strip():
        return Checked(target, f"link target '{shown}' has no "
                       f"{'address' if scheme == 'mailto' else 'number'}: shown as text",
                       "warning", "link.no-address")
    return Checked(target)


# What pandoc percent-encodes in a link's target (its escapeURI): white
# space (`[x](a b.md)` links `a%20b.md`) and characters a URL may not hold.
# Anything else stays as written, `%` and letters of any script included.
UNSAFE = re.compile(r'[\s<>|"{}\[\]^`]')


def escaped(target: str) -> str:
    """`target` as pandoc writes it into the outputs."""
    return UNSAFE.sub(lambda found: "".join(f"%{byte:02X}" for byte in found[0].encode()), target)


def normalized(href: str) -> str:
    """The target as a browser reads it (see the module's docstring)."""
    text = decoded(href)
    if "&" in text:
        text = REFERENCE.sub(lambda found: html.unescape(found[0]), text)
    return INSIDE.sub("", text).strip(ENDS)


# A character reference as CommonMark reads one in a link: with its `;`
# (`?a=1&not=2` stays as written, where HTML would read `&not` as `¬`).
REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decoded(text: str) -> str:
    """Python-Markdown writes an automatic mail link (`<a@b.org>`) as
    character references behind its own `&` placeholder, to hide it from
    address harvesters; they are read back into characters."""
    if AMP_SUBSTITUTE in text:
        return html.unescape(text.replace(AMP_SUBSTITUTE, "&"))
    return text
