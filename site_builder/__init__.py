"""Open procurement register: YAML records in git → validated model → static site and open data."""

__version__ = "0.1.0"
