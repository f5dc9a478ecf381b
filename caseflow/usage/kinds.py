"""The usage event kinds Caseflow records, and which of them count as digital dialogue.

Kinds are plain strings so an area can add one without a migration; these are the ones the
goal metrics know about.
"""

from __future__ import annotations

ESERVICE_VIEW = "eservice_view"
FORM_SUBMITTED = "form_submitted"
CITIZEN_REPLY = "citizen_reply"
SOCIAL_INBOUND = "social_inbound"
SOCIAL_OUTBOUND = "social_outbound"
CASE_TRANSITION = "case_transition"
#: Beacon: every counted page view, and the first view of a visitor on a local day.
PAGE_VIEW = "page_view"
SITE_VISIT = "site_visit"

#: A citizen and the municipality talking through a digital channel.
DIALOGUE_KINDS = (FORM_SUBMITTED, CITIZEN_REPLY, SOCIAL_INBOUND, SOCIAL_OUTBOUND)

KNOWN_KINDS = (
    ESERVICE_VIEW,
    FORM_SUBMITTED,
    CITIZEN_REPLY,
    SOCIAL_INBOUND,
    SOCIAL_OUTBOUND,
    CASE_TRANSITION,
    PAGE_VIEW,
    SITE_VISIT,
)
