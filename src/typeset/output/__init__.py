"""Output stage: a laid-out PDF → the files a build writes (`make.make_outputs`).

`profiles` finishes screen, print (PDF/X-4, with `cmyk`) and archive (PDF/A-2b) files, `metadata`
writes info and XMP, `binding` pads for saddle stitch, `offprints` cuts one PDF per article,
`preflight` reports print faults.
"""
