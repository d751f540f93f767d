"""The transition table of client relationships."""

from kaveri.transitions.machine import SYSTEM, WORKER, StateMachine, Transition

RELATIONSHIP = StateMachine(
    "casework.ClientRelationship",
    "state",
    (Transition.of("close", ["OPEN"], "CLOSED", by=[WORKER, SYSTEM]),),
)
