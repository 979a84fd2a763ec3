"""Cite stage: an `Issue` with citation clusters → the same issue with formatted notes and bibliographies.

`notes` is the stage (entry point `cite_issue`); `items` validates CSL items, `positions` computes
ibid / subsequent / "(n 13)", `style` adapts citeproc-py to the reference processor, `markup`
escapes rich text into HTML once.
"""
