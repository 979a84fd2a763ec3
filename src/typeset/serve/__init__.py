"""Serving a build while it is edited: `preview` (pages in the browser, rebuilt on every save)."""
