"""The transition table of consents: given, then perhaps revoked (never given again)."""

from kaveri.transitions.machine import CLIENT, SYSTEM, WORKER, StateMachine, Transition

CONSENT = StateMachine(
    "consent.Consent",
    "state",
    (Transition.of("revoke", ["GIVEN"], "REVOKED", by=[WORKER, CLIENT, SYSTEM]),),
)
