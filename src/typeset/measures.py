"""Print measures every stage counts in: millimetres, PDF points, inches, and the resolution print wants."""

from __future__ import annotations

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
"""PDF user space units (and CSS `pt`) per inch."""
POINTS_PER_MM = POINTS_PER_INCH / MM_PER_INCH
PRINT_PPI = 300
"""The image resolution offset print wants; below it pictures look soft."""
