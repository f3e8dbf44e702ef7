"""The sandbox search engine: Google-style operators over a case world's live pages.

Query language (also written for officers in docs/search-operators.md):

- `visa recruiter`: every word must appear (AND), anywhere in title, text or URL.
- `"exact phrase"`: the words in this order, next to each other; inside a phrase `*`
  stands for one or more words (at most 8): `"work * visa"`.
- `a OR b`, `a | b`: either (OR must be upper case; lower-case `or` is a word). As in
  Google, OR binds tighter than AND: `jobs visa OR permit` is jobs AND (visa OR permit);
  use parentheses for anything else: `(driver Dubai) OR (cook Doha)`.
- `-word`, `-"phrase"`, `-(group)`, `-site:x.example`: exclude.
- `site:jobs.example` the URL's host and its subdomains; `site:jobs.example/ads` and
  `site:https://jobs.example/ads` a URL prefix on exactly that host; `site:*.jobs.example`
  subdomains only. `site:` reads the page's address, never another field.
- `intitle:`, `intext:` (Bing's `inbody:`), `inurl:` restrict a word or quoted phrase to title,
  text or URL; `inurl:(a | b)` applies the operator to each word of the group.
- `filetype:pdf|doc|html` by what the document is (docx and word mean doc); `ext:pdf` by the
  address's extension, as Bing documents it.
- `before:D`, `after:D` with D = YYYY-MM-DD, YYYY-MM or YYYY, on the page's published
  date (UTC): before: is strictly before the first day of D; after: is on or after it,
  so `after:2024 before:2025` is the year 2024.
- `recruit*`: a word beginning with `recruit`; `a AROUND(n) b`: at most n words between.
- `+word` is `word`; `NOT word` is `-word`; `AND`, `&`, `&&` are accepted and ignored.

Forgiving as Google and Bing are: a `word:` that is no operator is text, symbols without
letters are ignored, unclosed quotes and brackets are closed; each repair is a note on the
results (`SearchResults.notes`), with "did you mean site:?" for a misspelt operator. Only
what no engine can mean is a QueryError (one sentence naming the column).

Matching ignores case and accents (café = cafe) and Unicode form (NFC). Thai, Lao, Khmer
and Burmese are split into words by ICU's word break iterator, the same way for pages and
queries (segment.py). Pages whose status is "deleted" are never returned (the archive
tool finds them). A query must have at least one positive part: `-visa` alone is an
error, `site:x.example -visa` is fine.

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
