"""Manuscripts in: a Word (or ODT, Markdown, HTML) file → an article of the content format.

pandoc reads the file into its JSON AST (`pandoc.py`), `convert.py` writes the article's
Markdown from it, `notes.py` turns each hand-typed note into citations against a reference
library (`library.py` reads it, `match.py` finds a note's source in it), and `article.py`
puts the pieces together and writes the article file, its images and the match table.
"""
