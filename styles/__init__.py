"""The themes shipped with typeset, one folder each (theme.css, print.css): installed as `typeset.styles`."""
