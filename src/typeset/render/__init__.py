"""Render stage: cited `Issue` + theme → one HTML document (`html.render_html`), the source of every output.

`barcode` draws the ISSN barcode; `templates/` holds the Jinja2 templates.
"""
