"""Check stage: `Issue` + theme → diagnostics about what the schema cannot see.

`issue` runs every rule (entry point `check_issue`): `refs` (CSL items and citations), `images`,
`text` (glyphs, links, empty citations), `hyphenation` (languages Pyphen cannot hyphenate);
`accept` applies the editor's accepted deviations.
"""
