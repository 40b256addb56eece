"""The three sentence labels, as defined in ANNOTATION.md."""
SPECIFIC = "specific"
SPECULATIVE = "speculative"
BOILERPLATE = "boilerplate"
LABELS = (SPECIFIC, SPECULATIVE, BOILERPLATE)
