"""The transition table of service episodes: a decided period ends, or continues by a new one."""

from kaveri.transitions.machine import SYSTEM, WORKER, StateMachine, Transition

EPISODE = StateMachine(
    "services.ServiceEpisode",
    "state",
    (
        Transition.of("end", ["DECIDED"], "ENDED", by=[WORKER, SYSTEM]),
        Transition.of("continue", ["DECIDED"], "ENDED", by=[WORKER, SYSTEM]),
    ),
)
