"""Word count and reading time of the article (issue 13), from the built page: the text
a reader reads in `<article>`, that is prose, headings, lists, tables and captions, but
not the charts' own labels (inline SVG), the widgets' controls, scripts or styles. Code
blocks are counted apart, since readers skim them. Reading time is at 238 words a
minute, the average for silent reading of non-fiction in Brysbaert's 2019 review of 190
studies (https://doi.org/10.1016/j.jml.2019.104047).

    python3 bench/word_count.py [PAGE]     # PAGE defaults to dist/index.html
"""
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

WORDS_PER_MINUTE = 238
# Elements whose text is not read as prose.
SKIPPED = {"svg", "script", "style", "template", "noscript", "button", "select", "input"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed", "param", "track"}


class ArticleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.in_article = 0
        self.prose: list[str] = []
        self.code: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "article":
            self.in_article += 1

    def handle_endtag(self, tag):
        # A stray end tag closes nothing (the parser keeps the ones it has open).
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top == "article":
                self.in_article -= 1
            if top == tag:
                break

    def handle_data(self, data):
        if not self.in_article or any(t in SKIPPED for t in self.stack):
            return
        (self.code if "pre" in self.stack else self.prose).append(data)


def words(chunks: list[str]) -> int:
    # A word starts and ends with a letter or digit; "7,787", "2.5" and "don't" are one.
    return len(re.findall(r"\w(?:[\w’'.,-]*\w)?", " ".join(chunks)))


def main() -> None:
    page = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "dist" / "index.html"
    parser = ArticleText()
    parser.feed(page.read_text(encoding="utf-8"))
    prose, code = words(parser.prose), words(parser.code)
    print(f"{page}: {prose:,} words of prose, headings, tables and captions, "
          f"{prose / WORDS_PER_MINUTE:.0f} minutes at {WORDS_PER_MINUTE} words a minute; "
          f"{code:,} more in code blocks")


if __name__ == "__main__":
    main()
