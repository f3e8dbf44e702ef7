"""Workshop 2 labs (digital footprint): username sweep, phone and e-mail pivots, images, timeline, archive."""
