"""The transition table of signals: a worker acknowledges one or snoozes it until a day,
with a reason; the scan clears it when the facts no longer match."""

from kaveri.transitions.machine import SYSTEM, WORKER, StateMachine, Transition

HANDLED = ["OPEN", "ACKNOWLEDGED", "SNOOZED"]

SIGNAL = StateMachine(
    "watch.Signal",
    "state",
    (
        Transition.of("acknowledge", ["OPEN", "SNOOZED"], "ACKNOWLEDGED", by=[WORKER]),
        Transition.of("snooze", HANDLED, "SNOOZED", by=[WORKER]),
        Transition.of("clear", HANDLED, "CLEARED", by=[SYSTEM]),
    ),
)
