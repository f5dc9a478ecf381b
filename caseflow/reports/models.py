"""Models of this area (imported by ``init_app`` so Alembic sees them)."""
