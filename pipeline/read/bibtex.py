"""BibTeX and BibLaTeX entries as CSL JSON, converted as pandoc converts
them (`pandoc -f bibtex -t csljson` is the reference in the tests).

The parser keeps every entry's line, so a malformed entry is an error at
its line in the `.bib` file: an unclosed brace, a field without `=`, an
entry without a key, an undefined `@string`. What pandoc does on the way
is done here too: LaTeX accents and commands as characters, `--` as a
dash, names split into family and given parts, titles in sentence case
(but words in braces, and the first word after a colon), a short title
before the colon, dates from `year` and `month` or BibLaTeX's `date`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from pipeline import model as m
from pipeline.problems import Problem

MONTHS = {name: str(number) for number, name in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


class Malformed(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Entry:
    kind: str
    key: str
    fields: dict[str, str]  # name (lower case) -> LaTeX source, macros expanded
    line: int


class Parser:
    """BibTeX's syntax: `@type{key, field = {value} # "value" # macro, …}`,
    `@string`, `@preamble` and `@comment`; text between entries is ignored."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0
        self.macros = dict(MONTHS)

    def line(self, index: int | None = None) -> int:
        return self.text.count("\n", 0, self.index if index is None else index) + 1

    def entries(self, problems: list[tuple[int, str]]) -> list[Entry]:
        found: list[Entry] = []
        while (at := self.text.find("@", self.index)) >= 0:
            self.index = at + 1
            try:
                entry = self.entry(at)
            except Malformed as problem:
                problems.append((problem.line, str(problem)))
                # Go on at the next line that starts an entry.
                next_entry = re.compile(r"^\s*@", re.MULTILINE).search(self.text, self.index)
                self.index = next_entry.start() if next_entry else len(self.text)
                continue
            if entry is not None:
                found.append(entry)
        return found

    def skip(self) -> None:
        while self.index < len(self.text) and self.text[self.index].isspace():
            self.index += 1

    def name(self) -> str:
        found = re.compile(r"[^\s\"#%'(),={}]+").match(self.text, self.index)
        if not found:
            return ""
        self.index = found.end()
        return found[0]

    def entry(self, at: int) -> Entry | None:
        line = self.line(at)
        kind = self.name().lower()
        if not kind:
            raise Malformed(line, "'@' must start an entry such as @book{key, …}")
        self.skip()
        if self.index >= len(self.text) or self.text[self.index] not in "{(":
            if kind == "comment":
                return None
            raise Malformed(line, f"@{kind} must be followed by '{{'")
        close = "}" if self.text[self.index] == "{" else ")"
        self.index += 1
        if kind == "comment":
            self.braced(at, "}" if close == "}" else ")")
            return None
        if kind == "preamble":
            self.value(line)
            self.closing(close, line, kind)
            return None
        if kind == "string":
            self.skip()
            name = self.name().lower()
            self.skip()
            if not name or not self.text.startswith("=", self.index):
                raise Malformed(self.line(), "@string needs 'name = value'")
            self.index += 1
            self.macros[name] = self.value(line)
            self.closing(close, line, kind)
            return None
        self.skip()
        key_match = re.compile(r"[^\s,{}()\"#%'=]+").match(self.text, self.index)
        if not key_match:
            raise Malformed(line, f"@{kind} entry has no key: write @{kind}{{key, …}}")
        key = key_match[0]
        self.index = key_match.end()
        self.skip()
        fields: dict[str, str] = {}
        while True:
            self.skip()
            if self.text.startswith(",", self.index):
                self.index += 1
                self.skip()
            if self.index >= len(self.text):
                raise Malformed(line, f"entry '{key}' is not closed: a '{close}' is missing")
            if self.text[self.index] == close:
                self.index += 1
                break
            field_line = self.line()
            field = self.name().lower()
            if not field:
                raise Malformed(field_line, f"entry '{key}': expected a field name or '{close}', "
                                f"found '{self.text[self.index]}'")
            self.skip()
            if not self.text.startswith("=", self.index):
                raise Malformed(field_line, f"entry '{key}': field '{field}' needs '=' and a value")
            self.index += 1
            fields[field] = self.value(field_line, key)
        return Entry(kind=kind, key=key, fields=fields, line=line)

    def closing(self, close: str, line: int, kind: str) -> None:
        self.skip()
        if not self.text.startswith(close, self.index):
            raise Malformed(line, f"@{kind} is not closed: a '{close}' is missing")
        self.index += 1

    def value(self, line: int, key: str = "") -> str:
        """A field's value: parts joined by `#`, macros expanded."""
        parts: list[str] = []
        while True:
            self.skip()
            if self.index >= len(self.text):
                raise Malformed(line, f"entry '{key}' ends inside a value")
            char = self.text[self.index]
            if char == "{":
                self.index += 1
                parts.append(self.braced(self.index - 1, "}"))
            elif char == '"':
                self.index += 1
                parts.append(self.quoted(line, key))
            elif char.isdigit():
                number = re.compile(r"\d+").match(self.text, self.index)
                assert number
                parts.append(number[0])
                self.index = number.end()
            else:
                macro = self.name().lower()
                if not macro:
                    raise Malformed(self.line(), f"entry '{key}': a value must be {{…}}, \"…\", "
                                    "a number or a @string name")
                if macro not in self.macros:
                    raise Malformed(self.line(), f"entry '{key}': '{macro}' is no @string defined before it")
                parts.append(self.macros[macro])
            self.skip()
            if self.text.startswith("#", self.index):
                self.index += 1
                continue
            return "".join(parts)

    def braced(self, start: int, close: str) -> str:
        """From after an opening brace to its match; the text inside."""
        depth = 1
        begin = self.index
        while self.index < len(self.text):
            char = self.text[self.index]
            if char == "\\":
                self.index += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    self.index += 1
                    return self.text[begin:self.index - 1]
            self.index += 1
        raise Malformed(self.line(start), "a '{' here is never closed")

    def quoted(self, line: int, key: str) -> str:
        begin = self.index
        depth = 0
        while self.index < len(self.text):
            char = self.text[self.index]
            if char == "\\":
                self.index += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                self.index += 1
                return self.text[begin:self.index - 1]
            self.index += 1
        raise Malformed(line, f"entry '{key}': a '\"' is never closed")


# LaTeX -> text -----------------------------------------------------------------

ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
           ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
           "r": "\u030a", "d": "\u0323", "b": "\u0331"}
SYMBOLS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
           "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "&": "&", "%": "%", "$": "$", "#": "#",
           "_": "_", "{": "{", "}": "}", "textendash": "–", "textemdash": "—", "textquoteleft": "‘",
           "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”", "S": "§",
           "P": "¶", "dag": "†", "ddag": "‡", "copyright": "©", "pounds": "£", "euro": "€",
           "ldots": "…", "dots": "…", "textellipsis": "…", "LaTeX": "LaTeX", "TeX": "TeX", " ": " ",
           ",": "\u2009", "textbackslash": "\\", "textasciitilde": "~", "textregistered": "®",
           "texttrademark": "™", "textdegree": "°", "slash": "/", "-": "", "/": ""}
# Commands whose argument is kept as it is (formatting dropped: CSL styles format).
KEEP_ARGUMENT = {"emph", "textit", "textbf", "textsc", "textrm", "textsf", "texttt", "textup",
                 "textmd", "textnormal", "mkbibemph", "mkbibquote", "mbox", "url", "href", "enquote",
                 "textsuperscript", "textsubscript", "uppercase", "lowercase", "MakeUppercase", "MakeLowercase"}
COMMAND = re.compile(r"\\([A-Za-z]+|.)")

# A protected run (text in braces at the top level) is kept as written when
# titles are put in sentence case; it is marked with these while converting.
PROTECT_OPEN, PROTECT_CLOSE = "\ue000", "\ue001"


def latex(text: str) -> str:
    """LaTeX source as plain text; top-level `{…}` runs wrapped in the
    protect marks (see sentence_case)."""
    out: list[str] = []
    index, depth = 0, 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            found = COMMAND.match(text, index)
            assert found
            name = found[1]
            index = found.end()
            if name in ACCENTS and index < len(text):
                # `\'e`, `\'{e}`, `\c c`
                while name.isalpha() and index < len(text) and text[index] == " ":
                    index += 1
                if text.startswith("{", index):
                    end = text.find("}", index)
                    base = latex(text[index + 1:end]) if end > 0 else ""
                    index = end + 1 if end > 0 else len(text)
                else:
                    base = text[index:index + 1]
                    index += 1
                if base.startswith("\\i") or base == "ı":
                    base = "i"
                out.append(unicodedata.normalize("NFC", (base[:1] + ACCENTS[name]) + base[1:]))
                continue
            if name in SYMBOLS:
                if name.isalpha():
                    while index < len(text) and text[index] == " ":
                        index += 1
                    if text.startswith("{}", index):
                        index += 2
                out.append(SYMBOLS[name])
                continue
            if name in KEEP_ARGUMENT or name.isalpha():
                if name == "href" and text.startswith("{", index):  # \href{url}{text}: the text
                    end = matching(text, index)
                    index = end + 1
                while index < len(text) and text[index] == " ":
                    index += 1
                if text.startswith("{", index):
                    end = matching(text, index)
                    inner = latex(text[index + 1:end])
                    out.append(inner.upper() if name in ("uppercase", "MakeUppercase")
                               else inner.lower() if name in ("lowercase", "MakeLowercase") else inner)
                    index = end + 1
                continue
            out.append(name)
            continue
        if char == "{":
            end = matching(text, index)
            inner = latex(text[index + 1:end])
            out.append(PROTECT_OPEN + inner + PROTECT_CLOSE if depth == 0 else inner)
            index = end + 1
            continue
        if char == "}":
            index += 1
            continue
        if char == "~":
            out.append("\u00a0")
        elif text.startswith("---", index):
            out.append("—")
            index += 2
        elif text.startswith("--", index):
            out.append("–")
            index += 1
        elif text.startswith("``", index):
            out.append("“")
            index += 1
        elif text.startswith("''", index):
            out.append("”")
            index += 1
        elif char == "`":
            out.append("‘")
        elif char == "'":
            out.append("’")
        elif char == "$":
            pass  # math shifts: their content stays
        elif char.isspace():
            if not out or not out[-1].endswith(" "):
                out.append(" ")
        else:
            out.append(char)
        index += 1
    return "".join(out)


def matching(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "\\":
            continue
        if char == "{" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "}" and (index == 0 or text[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def plain(text: str) -> str:
    """Converted text without the protect marks, spaces collapsed."""
    return " ".join(text.replace(PROTECT_OPEN, "").replace(PROTECT_CLOSE, "").split())


WORD = re.compile(r"[^\s\ue000\ue001]+|\ue000[^\ue001]*\ue001|\s+")


def sentence_case(text: str) -> str:
    """pandoc's unTitlecase: a word in title case ("Border") is put in lower
    case, but the first word, the first after a colon, a word in braces, and
    one with capitals inside ("NATO", "iPhone")."""
    out: list[str] = []
    capitalize_next = True
    for token in WORD.findall(text):
        if token.isspace():
            out.append(token)
            continue
        if token.startswith(PROTECT_OPEN):
            out.append(token[1:-1])
            capitalize_next = token.rstrip(PROTECT_CLOSE).endswith((":", "?", "!"))
            continue
        word = token
        letters = [c for c in word if c.isalpha()]
        if not capitalize_next and letters and letters[0].isupper() and all(c.islower() for c in letters[1:]) \
                and "\ue000" not in word:
            index = next(i for i, c in enumerate(word) if c.isalpha())
            word = word[:index] + word[index].lower() + word[index + 1:]
        out.append(word)
        capitalize_next = word.endswith((":", "?", "!")) or word in ("—", "–")
    return " ".join("".join(out).split())


# Names --------------------------------------------------------------------------

def split_top(text: str, separator: re.Pattern[str]) -> list[str]:
    """`text` split where `separator` matches outside braces."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and (found := separator.match(text, index)):
            parts.append(text[start:index])
            index = start = found.end()
            continue
        index += 1
    parts.append(text[start:])
    return parts


AND = re.compile(r"\s+and\s+", re.IGNORECASE)
COMMA = re.compile(r",\s*")
SPACE = re.compile(r"\s+")


def names(value: str) -> list[dict[str, str]]:
    out = []
    for name in split_top(value.strip(), AND):
        name = name.strip()
        if not name:
            continue
        if name.lower() == "others":
            out.append({"literal": "others"})
            continue
        if name.startswith("{") and name.endswith("}") and matching(name, 0) == len(name) - 1:
            out.append({"literal": plain(latex(name[1:-1]))})
            continue
        parts = [part.strip() for part in split_top(name, COMMA)]
        if len(parts) == 1:
            words = [w for w in split_top(parts[0], SPACE) if w]
            # First von Last: the von part starts at the first lower-case word.
            von_start = next((i for i, w in enumerate(words[:-1]) if starts_lower(w)), None)
            if von_start is None:
                given, von, family = words[:-1], [], words[-1:]
            else:
                von_end = max(i for i, w in enumerate(words[:-1]) if starts_lower(w)) + 1
                given, von, family = words[:von_start], words[von_start:von_end], words[von_end:]
            suffix: list[str] = []
        else:
            last = [w for w in split_top(parts[0], SPACE) if w]
            von_end = next((i for i in range(len(last) - 1, -1, -1) if starts_lower(last[i]) and i < len(last) - 1), -1) + 1
            von, family = last[:von_end], last[von_end:]
            suffix = [parts[1]] if len(parts) > 2 else []
            given = [w for w in split_top(parts[-1], SPACE) if w] if len(parts) >= 2 else []
        result: dict[str, str] = {}
        if family:
            result["family"] = plain(latex(" ".join(family)))
        if given:
            result["given"] = plain(latex(" ".join(given)))
        if von:
            result["dropping-particle"] = plain(latex(" ".join(von)))
        if suffix:
            result["suffix"] = plain(latex(" ".join(suffix)))
        out.append(result)
    return out


def starts_lower(word: str) -> bool:
    letters = [c for c in plain(latex(word)) if c.isalpha()]
    return bool(letters) and letters[0].islower() and not word.startswith("{")


# Entries -> CSL ---------------------------------------------------------------

TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet",
    "inbook": "chapter", "bookinbook": "chapter", "incollection": "chapter", "suppbook": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference", "manual": "book",
    "mastersthesis": "thesis", "phdthesis": "thesis", "thesis": "thesis", "misc": "",
    "online": "webpage", "electronic": "webpage", "www": "webpage", "proceedings": "book",
    "mvproceedings": "book", "collection": "book", "mvcollection": "book", "techreport": "report",
    "report": "report", "unpublished": "manuscript", "periodical": "periodical", "patent": "patent",
    "dataset": "dataset", "software": "software", "legislation": "legislation", "jurisdiction": "legal_case",
    "letter": "personal_communication", "movie": "motion_picture", "video": "motion_picture",
    "music": "song", "audio": "song", "standard": "standard", "article-magazine": "article-magazine",
}
TITLE_FIELDS = ("title", "subtitle", "titleaddon", "booktitle", "booksubtitle", "maintitle")


def to_csl(entry: Entry) -> dict:
    """One entry as CSL JSON, as pandoc makes it."""
    f = entry.fields
    kind = entry.kind
    csl: dict = {"id": entry.key}
    ctype = TYPES.get(kind, "")
    if kind == "article" and f.get("entrysubtype") in ("magazine", "newspaper"):
        ctype = f"article-{f['entrysubtype']}"
    csl["type"] = ctype
    english = (f.get("langid") or f.get("hyphenation") or f.get("language") or "english").lower() in (
        "english", "american", "british", "usenglish", "ukenglish", "canadian", "australian",
        "newzealand", "en", "en-us", "en-gb")

    def text(name: str) -> str:
        return plain(latex(f[name])) if name in f else ""

    def title(name: str, sub: str | None = None) -> str:
        if name not in f:
            return ""
        converted = latex(f[name])
        if sub and sub in f:
            converted += ": " + latex(f[sub])
        return plain(sentence_case(converted) if english else converted)

    for role, field in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if field in f:
            csl[role] = names(f[field])
    main_title = title("title", "subtitle")
    if main_title:
        csl["title"] = main_title
        short = title("shorttitle") or (main_title.split(": ", 1)[0] if ": " in main_title else "")
        if short:
            csl["title-short"] = short
    if kind in ("incollection", "inproceedings", "inbook", "conference", "bookinbook", "suppbook"):
        container = title("booktitle", "booksubtitle") or (title("title") if kind == "inbook" and
                                                            "booktitle" not in f else "")
        if container:
            csl["container-title"] = container
    journal = text("journaltitle") or text("journal")
    if journal:
        csl["container-title"] = journal
    if text("series"):
        csl["collection-title"] = text("series")
    publisher = text("publisher")
    if kind in ("techreport", "report", "mastersthesis", "phdthesis", "thesis"):
        publisher = text("institution") or text("school") or publisher
    if kind == "manual":
        publisher = text("organization") or publisher
    if kind in ("inproceedings", "proceedings", "conference"):
        publisher = publisher or text("organization")
    publisher = publisher or text("howpublished")
    if publisher:
        csl["publisher"] = publisher
    place = text("location") or text("address")
    if place:
        csl["publisher-place"] = place
    if kind == "mastersthesis":
        csl["genre"] = "Master’s thesis"
    elif kind == "phdthesis":
        csl["genre"] = "PhD thesis"
    if text("type"):
        csl["genre"] = text("type")
    for source_field, csl_field in (("volume", "volume"), ("edition", "edition"), ("chapter", "chapter-number"),
                                    ("isbn", "ISBN"), ("issn", "ISSN"), ("note", "note")):
        if text(source_field):
            csl[csl_field] = text(source_field)
    if text("number") or text("issue"):
        csl["issue" if kind in ("article", "periodical") else "number"] = text("issue") or text("number")
    if text("pages"):
        csl["page"] = text("pages").replace("–", "-")
    if "doi" in f:
        csl["DOI"] = f["doi"].strip()
    if "url" in f:
        csl["URL"] = f["url"].strip()
    date = parse_date(text("date")) or year_month(text("year"), f.get("month", ""))
    if date:
        csl["issued"] = date
    accessed = parse_date(text("urldate"))
    if accessed:
        csl["accessed"] = accessed
    return csl


def parse_date(value: str) -> dict | None:
    found = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not found:
        return None
    return {"date-parts": [[int(part) for part in found.groups() if part]]}


def year_month(year: str, month: str) -> dict | None:
    found = re.search(r"\d{4}", year)
    if not found:
        return {"literal": year} if year else None
    parts = [int(found[0])]
    month = plain(latex(month)).strip().lower()[:3] if month else ""
    number = MONTHS.get(month) or (month if month.isdigit() else None)
    if number:
        parts.append(int(number))
    return {"date-parts": [parts]}


def read(text: str, shown: str, biblatex: bool = False) -> tuple[list[m.Reference], list[Problem]]:
    """The entries of a `.bib` file as References, and the problems found."""
    found: list[tuple[int, str]] = []
    entries = Parser(text).entries(found)
    problems = [Problem(shown, line, message, code="bib.syntax") for line, message in found]
    references = [m.Reference(key=entry.key, csl=json.dumps(to_csl(entry), ensure_ascii=False),
                              path=shown, line=entry.line,
                              portion=plain(latex(entry.fields["portion"])) if "portion" in entry.fields else None)
                  for entry in entries]
    return references, problems
