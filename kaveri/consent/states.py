"""The transition table of consents: given; disputed by an authority it names until the
signed form or the client confirms it; revoked (never given again)."""

from kaveri.transitions.machine import CLIENT, SYSTEM, WORKER, StateMachine, Transition

CONSENT = StateMachine(
    "consent.Consent",
    "state",
    (
        Transition.of("dispute", ["GIVEN"], "DISPUTED", by=[WORKER]),
        Transition.of("confirm", ["DISPUTED"], "GIVEN", by=[WORKER, CLIENT]),
        Transition.of("revoke", ["GIVEN", "DISPUTED"], "REVOKED", by=[WORKER, CLIENT, SYSTEM]),
    ),
)

DATA_REQUEST = StateMachine(
    "consent.DataRequest",
    "state",
    (Transition.of("answer", ["OPEN"], "ANSWERED", by=[WORKER, SYSTEM]),),
)
