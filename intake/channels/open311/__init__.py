"""Open311 GeoReport v2: the standard API for civic issue reports (FixMyStreet and others)."""
