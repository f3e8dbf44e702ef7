"""The sandbox search engine: Google-style operators over a case world's live pages.

Query language (also written for officers in docs/search-operators.md):

- `visa recruiter`: every word must appear (AND), anywhere in title, text or URL.
- `"exact phrase"`: the words in this order, next to each other; inside a phrase `*`
  stands for one or more words (at most 8): `"work * visa"`.
- `a OR b`, `a | b`: either (OR must be upper case; lower-case `or` is a word). As in
  Google, OR binds tighter than AND: `jobs visa OR permit` is jobs AND (visa OR permit);
  use parentheses for anything else: `(driver Dubai) OR (cook Doha)`.
- `-word`, `-"phrase"`, `-(group)`, `-site:x.example`: exclude.
- `site:jobs.example` the domain and its subdomains; `site:jobs.example/ads` a URL prefix.
- `intitle:`, `intext:`, `inurl:` restrict a word or quoted phrase to title, text or URL.
- `filetype:pdf|doc|html`.
- `before:D`, `after:D` with D = YYYY-MM-DD, YYYY-MM or YYYY, on the page's published
  date (UTC): before: is strictly before the first day of D; after: is on or after it,
  so `after:2024 before:2025` is the year 2024.
- `recruit*`: a word beginning with `recruit`.

Matching ignores case and accents (café = cafe) and works for Cyrillic and Bengali. Thai
is written without spaces between words, so a Thai word is found only where it stands
apart (between spaces or punctuation); search a whole Thai run as written. Pages whose
status is "deleted" are never returned (the archive tool finds them). A query must have at
least one positive part: `-visa` alone is an error, `site:x.example -visa` is fine.

Results are ranked by BM25 (title matches weigh most), with snippets and highlighted
terms, paging and exact counts. Every query (including malformed ones) is logged with its
UTC time, in `SearchEngine.log` and, if given, appended to a JSONL file.
"""

from sandbox.search.engine import SearchEngine
from sandbox.search.query import Parsed, Query, QueryError, parse, parse_query
from sandbox.search.results import Hit, QueryLogEntry, SearchResults

__all__ = [
    "Hit", "Parsed", "Query", "QueryError", "QueryLogEntry", "SearchEngine", "SearchResults", "parse", "parse_query",
]
