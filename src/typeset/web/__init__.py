"""The web edition: per-article pages with the print's fonts and scholarly metadata, and JATS XML.

`pages.web_edition` turns the cited issue and the PDFs of the output stage into the files
under OUTPUT/web/; `fonts`, `images` and `colours` carry the theme to screens, `meta` writes what
search engines and library harvesters read, `jats` the XML archives ingest. Nothing is imported
here, so `check` can read `meta.web_base` without loading the rest.
"""
