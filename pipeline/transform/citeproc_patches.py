"""Fixes to citeproc-py 0.11.1 where it departs from the CSL 1.0.2
specification (and so from pandoc's citeproc, the reference in the tests),
each checking, before it replaces anything, that the code it replaces is
the code it was written for, as pipeline/weasy/ does with WeasyPrint.

- `initialize="false"` on a name (CSL 1.0.1): given names stay whole
  ("Smith, John"), though the style initializes elsewhere ("J. Smith");
- a `<label>` is rendered only when its variable has a value (CSL's
  cs:label): "“Title,” edition." came of an article without one;
- a citation's items keep the order they are written in, unless the
  style's `<citation>` has a `<sort>` and (as in pandoc) no item has a
  prefix: citeproc-py put them in the bibliography's order first
  ("(Jones 2019; see Smith 2020)" for `[see @smith2020; @jones2019]`);
- title case capitalizes each part of a hyphenated lowercase word, as
  pandoc's citeproc does ("Ever-Larger", where citeproc-py wrote
  "Ever-larger"), and a word's first letter after a quotation mark
  (“Soviet”, where it wrote “soviet”);
- a variable a `<substitute>` printed through a macro (the title, for a
  work without an author) is not printed again in the rest of the entry
  (CSL's substitution): a web page without an author read "“The Official
  YAML Web Site.” “The Official YAML Web Site.” April 19, 2022.";
- a macro's sort key is compared as a reader reads it, without its
  markup and the quotation marks before it: `<i>Alpha Report` put every
  work without an author (keyed by its italic title) before the authors,
  where pandoc files it under its title among them.

(Punctuation inside quotation marks, which citeproc-py does not do, is
done on its output: pipeline/transform/citeproc.py.)
"""

from __future__ import annotations

import hashlib
import html
import inspect
import re

VERSION = "0.11.1"
# The source of each function replaced, as citeproc-py 0.11.1 has it.
EXPECTED = {
    "Name.get_option": "245ab4af",
    "Layout.render_citation": "f70ee91b",
    "Label.process": "f9b9c83f",
    "TextCased.case": "ff17f96b",
    "Substitute.add_to_repressed_list": "61751056",
    "Key.sort_keys": "9f78cc73",
}
applied = False


def fingerprint(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:8]


def apply() -> None:
    global applied
    if applied:
        return
    import citeproc
    from citeproc import model

    if citeproc.__version__ != VERSION:
        raise RuntimeError(f"citeproc-py {citeproc.__version__}: the fixes in {__name__} are for {VERSION}")
    found = {"Name.get_option": fingerprint(model.Name.get_option),
             "Layout.render_citation": fingerprint(model.Layout.render_citation),
             "Label.process": fingerprint(model.Label.process),
             "TextCased.case": fingerprint(model.TextCased.case),
             "Substitute.add_to_repressed_list": fingerprint(model.Substitute.add_to_repressed_list),
             "Key.sort_keys": fingerprint(model.Key.sort_keys)}
    if found != EXPECTED:
        raise RuntimeError(f"citeproc-py's code is not what {__name__} fixes: {found}")

    name_option = model.Name.get_option

    def get_option(self, name, context=None, sort_options=None):
        if name == "initialize-with" and self.get("initialize", "true").lower() == "false":
            return None
        return name_option(self, name, context, sort_options)

    model.Name.get_option = get_option

    def render_citation(self, citation, callback):
        """citeproc-py's, without its sort by the bibliography's order."""
        good_cites = [cite for cite in citation.cites if not cite.is_bad()]
        bad_cites = [cite for cite in citation.cites if cite.is_bad()]
        if self.getparent().sort is not None and not citation.get("unsorted"):
            good_cites = self.getparent().sort.sort(good_cites, self)
        out = []
        for item in good_cites:
            self.repressed = {}
            prefix = item.get("prefix", "")
            suffix = item.get("suffix", "")
            try:
                output = self.render_children(item)
                if output is not None:
                    out.append(prefix + output + suffix)
                    self.getparent().cites.append(item)
            except model.VariableError:
                pass
        for item in bad_cites:
            out.append(callback(item) or f"{item.key}?")
        return self.format(self.wrap(self.join(out)))

    model.Layout.render_citation = render_citation

    label_process = model.Label.process

    def label(self, item, variable=None, plural=None, context=None, **kwargs):
        name = variable or self.get("variable") or ""
        if name == "locator":
            if not item.has_locator:
                return None
        elif name and item.reference.get(name) is None and item.reference.get(name.replace("-", "_")) is None:
            return None
        return label_process(self, item, variable, plural, context, **kwargs)

    model.Label.process = label

    text_case = model.TextCased.case

    def case(self, text, language=None):
        if self.get("text-case") != "title" or language != "en":
            return text_case(self, text, language)
        stop_words = model.TextCased._stop_words
        output = []
        prev = ":"  # the first word is capitalized
        for word in text.words():
            if word.islower() and "-" in str(word):
                # Each part of a hyphenated word, as pandoc's citeproc: "Ever-Larger".
                parts = str(word).split("-")
                first = parts[0] if parts[0] in stop_words and prev not in (":", ".") else parts[0][:1].upper() + parts[0][1:]
                word = "-".join([first, *(part[:1].upper() + part[1:] if part not in stop_words else part
                                          for part in parts[1:])])
            elif word.islower() and (str(word) not in stop_words or prev in (":", ".")):
                word = first_letter_up(word)
            elif word.islower():
                word = word.soft_lower()
            prev = word[-1]
            output.append(word)
        return " ".join(str(word) for word in output)

    model.TextCased.case = case

    def first_letter_up(word):
        """Its first letter in capitals, past a quotation mark or bracket
        before it (“Soviet”, where citeproc-py left “soviet”)."""
        text = str(word)
        at = next((index for index, char in enumerate(text) if char.isalpha()), 0)
        return word.capitalize_first() if at == 0 else text[:at] + text[at].upper() + text[at + 1:]

    repress = model.Substitute.add_to_repressed_list

    def add_to_repressed_list(self, child, context):
        """citeproc-py's, and the variables a macro the substitute printed
        prints (through the macros it calls in turn)."""
        repress(self, child, context)
        layout, seen, waiting = context.get_layout(), set(), [child.get("macro")]
        while waiting:
            name = waiting.pop()
            if name is None or name in seen:
                continue
            seen.add(name)
            for element in child.get_macro(name).iter():
                kind = element.tag.rsplit("}", 1)[-1]
                if kind == "text" and element.get("macro"):
                    waiting.append(element.get("macro"))
                elif kind in ("text", "names"):
                    for variable in (element.get("variable") or "").split():
                        layout.repressed.setdefault(element.tag, []).append(variable)

    model.Substitute.add_to_repressed_list = add_to_repressed_list

    sort_keys = model.Key.sort_keys

    def plain_sort_keys(self, items, context):
        keys = sort_keys(self, items, context)
        if "macro" not in self.attrib:  # a variable's value has no markup
            return keys
        return [plain_key(key) if isinstance(key, str) else key for key in keys]

    model.Key.sort_keys = plain_sort_keys
    applied = True


def plain_key(key: str) -> str | None:
    """A rendered sort key as text (formatter.html's tags and entities
    gone), from its first letter or digit; None, which sorts last as CSL
    has an empty key sort, when nothing is left."""
    text = html.unescape(re.sub(r"<[^>]*>", "", key))
    start = next((index for index, char in enumerate(text) if char.isalnum()), len(text))
    return text[start:] or None
