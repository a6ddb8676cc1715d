"""Story + library → Packet: every word and number on the pages, decided. Pure: no I/O, no HTML."""
