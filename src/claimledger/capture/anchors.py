"""Finding a quote in a snapshot's text: exact, after one normalisation of both sides.

Both the quote and the text are normalised the same way before they are compared:

* every run of white space — spaces, tabs, line breaks, non-breaking spaces (U+00A0, U+202F,
  U+2007) and the other Unicode spaces — becomes one space, and the quote's ends are trimmed;
* soft hyphens (U+00AD), zero-width spaces and joiners' invisible cousins (U+200B, U+2060,
  U+FEFF) are dropped;
* typographic quotes become ASCII ones (‘ ’ ‚ ‛ ′ → ``'``; “ ” „ ‟ ″ « » → ``"``), dashes and
  the minus sign become ``-`` (U+2010–U+2015, U+2212), and the ellipsis ``…`` becomes ``...``.

Nothing else is forgiven: case, spelling and punctuation must match. A match is mapped back to
positions in the original text (Python string indices, i.e. Unicode code points), from which
the Web Annotation selectors are made: ``exact`` is the original text there, ``prefix`` and
``suffix`` the 32 characters around it.

A quote that is not found gets :func:`closest`, the most similar passage — a hint for the
person, never an anchor.

>>> m = locate("He said “the bridge” fell.", 'said "the bridge"')
>>> (m.start, m.end, m.exact)
(3, 20, 'said “the bridge”')
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

#: Characters of context kept before and after a quote (prefix, suffix).
CONTEXT = 32
#: :func:`closest` compares at most this much of a quote, at most at this many places.
MAX_HINT = 500
MAX_STARTS = 10000

_DROP = frozenset("\u00ad\u200b\u2060\ufeff")
_MAP = {
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    "\u2026": "...",
}


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` normalised (see the module doc), and for each of its characters the index of
    the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, c in enumerate(text):
        if c in _DROP:
            continue
        if c.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        for piece in _MAP.get(c, c):
            out.append(piece)
            where.append(i)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def squeeze(text: str) -> str:
    """Just the normalised form of ``text``."""
    return normalise(text)[0]


@dataclass(frozen=True)
class Match:
    """A quote found in a text: ``text[start:end]`` is ``exact``."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    occurrence: int  # 1-based, among all occurrences
    occurrences: int


@dataclass(frozen=True)
class Near:
    """The passage most like a quote that was not found: ``similarity`` from 0 to 1."""

    start: int
    end: int
    passage: str
    similarity: float


def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """``(start, end)`` in ``text`` of every occurrence of ``quote`` after normalisation."""
    norm, where = normalise(text)
    needle = squeeze(quote)
    if not needle:
        return []
    found = []
    at = norm.find(needle)
    while at >= 0:
        found.append((where[at], where[at + len(needle) - 1] + 1))
        at = norm.find(needle, at + 1)
    return found


def match_at(text: str, start: int, end: int, occurrence: int, count: int) -> Match:
    """The :class:`Match` for ``text[start:end]``."""
    return Match(start, end, text[start:end], text[max(0, start - CONTEXT):start],
                 text[end:end + CONTEXT], occurrence, count)


def locate(text: str, quote: str, *, prefix: str | None = None, suffix: str | None = None,
           occurrence: int | None = None) -> Match | None:
    """Where ``quote`` stands in ``text``, or None if it does not.

    With several occurrences, ``occurrence`` (1-based) picks one; else ``prefix`` / ``suffix``
    (compared after normalisation) pick the one whose context matches best; else the first.
    Callers that must refuse an ambiguous quote look at :attr:`Match.occurrences`.
    """
    spots = occurrences(text, quote)
    if not spots:
        return None
    if occurrence is not None:
        if not 1 <= occurrence <= len(spots):
            return None
        start, end = spots[occurrence - 1]
        return match_at(text, start, end, occurrence, len(spots))
    best = max(range(len(spots)), key=lambda k: (_context_score(text, spots[k], prefix, suffix), -k))
    start, end = spots[best]
    return match_at(text, start, end, best + 1, len(spots))


def context_fits(text: str, spot: tuple[int, int], prefix: str | None, suffix: str | None
                 ) -> bool:
    """True if the normalised text around ``spot`` ends with ``prefix`` and starts with
    ``suffix`` (each as far as given)."""
    start, end = spot
    before = squeeze(text[max(0, start - 4 * CONTEXT):start])
    after = squeeze(text[end:end + 4 * CONTEXT])
    ok = True
    if prefix:
        ok &= before.endswith(squeeze(prefix))
    if suffix:
        ok &= after.startswith(squeeze(suffix))
    return ok


def _context_score(text: str, spot: tuple[int, int], prefix: str | None, suffix: str | None
                   ) -> float:
    if not prefix and not suffix:
        return 0.0
    start, end = spot
    score = 0.0
    if prefix:
        before = squeeze(text[max(0, start - 2 * CONTEXT):start])[-len(squeeze(prefix)):]
        score += difflib.SequenceMatcher(None, before, squeeze(prefix)).ratio()
    if suffix:
        after = squeeze(text[end:end + 2 * CONTEXT])[:len(squeeze(suffix))]
        score += difflib.SequenceMatcher(None, after, squeeze(suffix)).ratio()
    return score


def closest(text: str, quote: str) -> Near | None:
    """The passage of ``text`` most similar to ``quote`` (compared normalised), or None for
    an empty text.

    Windows of the quote's length starting at each word are ranked by a cheap bound first
    (``quick_ratio``); the best few are compared properly and their ends adjusted word by word.
    """
    norm, where = normalise(text)
    needle = squeeze(quote)[:MAX_HINT]
    if not norm or not needle:
        return None
    size = len(needle)
    starts = [0] + [i + 1 for i, c in enumerate(norm) if c == " "]
    if len(starts) > MAX_STARTS:  # a hint, not a proof: sample a very long text evenly
        starts = starts[::len(starts) // MAX_STARTS + 1]
    ranked = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)
    for s in starts:
        matcher.set_seq1(norm[s:s + size])
        ranked.append((matcher.quick_ratio(), s))
    ranked.sort(reverse=True)
    best: tuple[float, int, int] = (-1.0, 0, 0)
    for _, s in ranked[:20]:
        ends = _ends(norm, s, size)
        if len(ends) > 12:
            ends = ends[::len(ends) // 12 + 1] + [min(len(norm), s + size)]
        for e in ends:
            matcher.set_seq1(norm[s:e])
            r = matcher.ratio()
            if r > best[0]:
                best = (r, s, e)
    ratio, s, e = best
    start, end = where[s], where[e - 1] + 1
    return Near(start, end, text[start:end], ratio)


def _ends(norm: str, start: int, size: int) -> list[int]:
    """Candidate ends of a window at ``start``: around ``start + size``, at word ends."""
    target = min(len(norm), start + size)
    ends = {target}
    spaces = [i for i in range(max(start + 1, target - size // 2), min(len(norm), target + size // 2))
              if norm[i] == " "]
    ends.update(spaces)
    ends.add(len(norm)) if target + size // 2 >= len(norm) else None
    return sorted(e for e in ends if e > start)
