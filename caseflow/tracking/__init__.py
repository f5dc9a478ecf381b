"""Citizen tracking: the unguessable ``/arende/<token>`` page, receipts and complements."""
