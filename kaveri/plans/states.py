"""The transition tables of plans (approval, replacement by a review) and their measures."""

from kaveri.transitions.machine import CLIENT, SYSTEM, WORKER, StateMachine, Transition

PLAN = StateMachine(
    "plans.Plan",
    "state",
    (
        Transition.of("approve", ["IN_FORCE"], "APPROVED", by=[WORKER, CLIENT, SYSTEM]),
        Transition.of("supersede", ["IN_FORCE", "APPROVED"], "SUPERSEDED", by=[WORKER, SYSTEM]),
    ),
)

MEASURE = StateMachine(
    "plans.Measure",
    "status",
    (
        Transition.of("start", ["AGREED"], "IN_PROGRESS", by=[WORKER, CLIENT, SYSTEM]),
        Transition.of("complete", ["AGREED", "IN_PROGRESS"], "DONE", by=[WORKER, CLIENT, SYSTEM]),
        Transition.of("cancel", ["AGREED", "IN_PROGRESS"], "CANCELLED", by=[WORKER, SYSTEM]),
    ),
)

# The transition that takes a measure to each status.
MEASURE_TRANSITION_TO = {t.target: t.name for t in MEASURE.transitions}
