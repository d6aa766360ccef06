"""One module per `procure` verb; see site_builder/cli.py."""
