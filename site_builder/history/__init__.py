"""The register's history: what changes between two versions (``procure diff``) and each record's past changes."""
