"""How much of anything folio reads: every limit in one place, each with its rule and its number.

An issue folder is written by people and may come from anyone: a YAML file whose aliases expand
to billions of values, a list nested five thousand deep, a 40,000 × 40,000 pixel image or a
`pad_to` of 100,000 would each make a build run for minutes or hours, or exhaust memory. Past
a limit, the input is refused with a diagnostic of the limit's rule, at the place that passes
it. The numbers are far above what a periodical needs (Issue 8's largest file holds about
5,000 values, 4 levels deep) and are listed, with their rules, in the README.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    rule: str
    number: int
    unit: str
    what: str  # what is counted, as the README's table and the diagnostic say it
    fix: str  # the hint: how to stay within it


YAML_NODES = Limit(
    "limit.yaml-nodes",
    200_000,
    "values",
    "values in one YAML file, each alias counted as all the values it repeats",
    "write the values out, or split the file: aliases of aliases multiply",
)
YAML_DEPTH = Limit("limit.yaml-depth", 50, "levels", "lists and mappings nested in one another in a YAML file", "nest less: the content format needs 6 levels")
FILE_SIZE = Limit(
    "limit.file-size", 2_000_000, "bytes", "size of one YAML, CSS or CSL file of the issue", "split the file: an article per file, references in several files"
)
IMAGE_PIXELS = Limit(
    "limit.image-pixels", 100_000_000, "pixels", "pixels of one image (width × height)", "scale the image down: 300 ppi across an A4 page is 2,480 pixels wide"
)
PAD_TO = Limit(
    "limit.pad-to",
    64,
    "pages",
    "the multiple `pad_to` pads the page count to (so at most 63 notes pages are added)",
    "use the page multiple of your binding: 4 for saddle stitch, 16 or 32 for sections",
)
MARKDOWN_NESTING = Limit(
    "limit.markdown-nesting",
    100,
    "levels",
    "emphasis, links, quotes and lists nested in one another in Markdown",
    "nest less, or escape the characters (\\*) that open emphasis",
)

LIMITS = (YAML_NODES, YAML_DEPTH, FILE_SIZE, IMAGE_PIXELS, PAD_TO, MARKDOWN_NESTING)
