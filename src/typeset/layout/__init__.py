"""Layout stage: HTML + theme → a paginated PDF, laid out by WeasyPrint.

`schedule` is the main path (`write_pdf_parts`): `parts` cuts the document into parts, `pool`
runs the `worker` processes that lay them out, `cache` keeps laid-out parts by content,
`assemble` joins them into one PDF. `document` lays out one whole document (tagged PDFs, themes
parts cannot carry). `fetch` is the only way the renderer reads files; `compat` holds every
patch of WeasyPrint's internals (a fix and two speed-ups), which the layout code installs.
"""
