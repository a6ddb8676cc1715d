"""Packet → HTML (Jinja2) → tagged PDF (WeasyPrint): the only package that lays out pages."""
