"""Load stage: an issue folder → the one `Issue` model, every value with its source position.

`reader` builds the model (entry point `load_issue`), `source` reads YAML safely with positions,
`schema` declares every field, `markdown` parses body text with our citation, note and figure rules.
"""
