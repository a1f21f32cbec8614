"""HTML pages: the visible text of each block element, located by its starting line.

The standard library's parser is enough: pages are read, never rendered, and scripts and
styles are skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from curriclint.extract.text import read_text
from curriclint.model import Segment

_BLOCKS = frozenset("p div li td th h1 h2 h3 h4 h5 h6 blockquote pre dt dd caption figcaption "
                    "section article header footer tr br title".split())
_SKIP = frozenset({"script", "style", "noscript", "template"})


class _BlockCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._start = 1
        self._skipping = 0

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self._parts)).strip()
        if text:
            self.blocks.append((self._start, text))
        self._parts = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCKS:
            self._flush()
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._flush()
                self.blocks.append((self.getpos()[0], alt.strip()))

    def handle_endtag(self, tag):
        if tag in _SKIP and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._skipping:
            return
        if not self._parts or not "".join(self._parts).strip():
            self._start = self.getpos()[0] + len(re.match(r"\s*", data).group().split("\n")) - 1
        self._parts.append(data.replace("\n", " "))

    def close(self):
        super().close()
        self._flush()


def extract(path: Path, shown: str) -> Iterator[Segment]:
    collector = _BlockCollector()
    collector.feed(read_text(path))
    collector.close()
    for line, text in collector.blocks:
        yield Segment(path=shown, unit="line", index=line, part="body", text=text)
