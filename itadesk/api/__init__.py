"""The HTTP API under ``/api/v1/`` (django-ninja): personal tokens, scoped reads and the writes the pages
allow, through the same access rules and services (docs/api.md)."""
