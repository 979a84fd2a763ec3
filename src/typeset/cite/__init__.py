"""Cite stage: an `Issue` with citation clusters → the same issue with formatted notes and bibliographies.

`notes` is the stage (entry point `cite_issue`); `items` validates CSL items, `positions` computes
ibid / subsequent / "(n 13)", `markup` escapes rich text into HTML once. citeproc-py is adapted to
the reference processor (citeproc-js) in three modules: `style` finds and loads a style and its
locales, `elements` overrides the CSL elements where citeproc-py differs, `titlecase` is
citeproc-js's title case.
"""
