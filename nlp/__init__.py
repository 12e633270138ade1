"""Pure functions of text: the spaCy pipeline, extraction, summaries. No I/O, no SQL."""
