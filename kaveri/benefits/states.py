"""The transition tables of applications and of the information requests made on them."""

from kaveri.transitions.machine import CLIENT, SYSTEM, WORKER, StateMachine, Transition

WAITING = ["PENDING", "INFORMATION_REQUESTED"]

APPLICATION = StateMachine(
    "benefits.Application",
    "status",
    (
        Transition.of("request_information", WAITING, "INFORMATION_REQUESTED", by=[WORKER, SYSTEM]),
        Transition.of(
            "information_received",
            ["INFORMATION_REQUESTED"],
            "PENDING",
            by=[WORKER, CLIENT, SYSTEM],
        ),
        Transition.of("decide", WAITING, "DECIDED", by=[WORKER, SYSTEM]),
        # An appeal changed the decision: its outcome and grant are corrected, logged.
        Transition.of("correct", ["DECIDED"], "DECIDED", by=[WORKER, SYSTEM]),
    ),
)

INFORMATION_REQUEST = StateMachine(
    "benefits.InformationRequest",
    "state",
    (Transition.of("answer", ["OPEN"], "ANSWERED", by=[WORKER, CLIENT, SYSTEM]),),
)

APPEAL = StateMachine(
    "benefits.Appeal",
    "state",
    (
        # Kela checks first whether it can correct its own decision; if not, the same
        # appeal goes on to the next body of the path.
        Transition.of("forward", ["OPEN"], "OPEN", by=[WORKER, SYSTEM]),
        Transition.of("decide", ["OPEN"], "DECIDED", by=[WORKER, SYSTEM]),
        Transition.of("withdraw", ["OPEN"], "WITHDRAWN", by=[WORKER, CLIENT, SYSTEM]),
    ),
)
