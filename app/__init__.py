"""taperprep: a benzodiazepine story → a cited, printable packet for the tapering conversation."""
