"""A worker acting on the client's behalf: a client without online banking credentials is
never blocked. The worker records how they heard the client (in person, by phone, on
paper) and that the client confirmed it; the history shows it as such."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaveri.rules.ruleset import current_language
from kaveri.rules.violations import RuleViolation


def channel_label(rules, code: str) -> str:
    return rules.label("contact_channel", code, current_language()).lower()


@dataclass(frozen=True)
class OnBehalf:
    channel: str
    confirmed: bool

    def check(self, rules) -> None:
        """The channel is one the rule set allows, and the client confirmed it."""
        allowed = rules.data.on_behalf_channels
        if self.channel not in allowed:
            raise RuleViolation(
                "on_behalf_channel",
                "channel",
                _("Choose how the client told you: %(known)s.")
                % {"known": ", ".join(f"{c} ({channel_label(rules, c)})" for c in allowed)},
            )
        if not self.confirmed:
            raise RuleViolation(
                "client_confirmed",
                "confirmed",
                _(
                    "Record this for the client only when they have confirmed it to you: "
                    "tick the box once they have."
                ),
            )


def required_of_a_worker(by, on_behalf: OnBehalf | None) -> None:
    """What is the client's to do, a worker records only with how the client told them."""
    if hasattr(by, "organisation") and on_behalf is None:
        raise RuleViolation(
            "on_behalf_given",
            "channel",
            _("Say how the client told you, and that they confirmed it."),
        )
