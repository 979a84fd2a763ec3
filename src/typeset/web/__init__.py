"""The web edition: per-article pages with the print's fonts and scholarly metadata, and JATS XML.

`web_edition` (in `pages`) turns the cited issue and the PDFs of the output stage into the files
under OUTPUT/web/; `fonts`, `images` and `colours` carry the theme to screens, `meta` writes what
search engines and library harvesters read, `jats` the XML archives ingest.
"""

from typeset.web.pages import web_edition

__all__ = ["web_edition"]
