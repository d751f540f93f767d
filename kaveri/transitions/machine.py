"""State as a transition table (Helsinki yjdh's habit): each stateful record declares its
states, the transitions allowed between them and who may make each (a worker, the client,
or the system when importing); nothing changes a state any other way.

A transition locks the row, checks that the record is still as the form saw it (its
`row_version`), checks that the state allows the transition, applies it and writes a
StateChange row (who, when, from, to, why), all in the caller's transaction. Whether
this worker may act on this record at all is the action table's question, asked before.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction
from django.utils.translation import gettext as _

from kaveri.rules.registry import rules_on
from kaveri.rules.violations import Conflict, RuleViolation
from kaveri.transitions.behalf import OnBehalf
from kaveri.transitions.models import StateChange

WORKER = "worker"
CLIENT = "client"
SYSTEM = "system"
CHUNK = 5000


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    by: frozenset[str]

    @classmethod
    def of(cls, name: str, sources: Iterable[str], target: str, by: Iterable[str] = (WORKER,)):
        return cls(name, frozenset(sources), target, frozenset(by))


def actor_kind(by) -> str:
    """A worker (access.Worker), the client (a user with a client record), or the system."""
    if by is None:
        return SYSTEM
    if hasattr(by, "organisation"):
        return WORKER
    return CLIENT if getattr(by, "client", None) is not None else WORKER


def _actor_fields(by) -> dict:
    if by is None:
        return {"by_name": SYSTEM}
    if hasattr(by, "organisation"):
        return {"by_worker": by, "by_user": by.user, "by_name": by.user.get_username()}
    return {"by_user": by, "by_name": by.get_username()}


def stale(record_name: str) -> Conflict:
    return Conflict(
        "record_unchanged",
        "row_version",
        _(
            "Someone else changed this %(record)s after you opened the form. Nothing was "
            "saved: open it again, check what changed and try again."
        )
        % {"record": record_name},
    )


def locked(record, expected_version: int | None = None):
    """The record's row, locked for this transaction, after checking the version read."""
    row = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if expected_version is not None and row.row_version != expected_version:
        raise stale(str(type(record)._meta.verbose_name))
    return row


def bump(row) -> None:
    """Mark an edit that changes no state: later forms read at the old version are stale."""
    type(row)._default_manager.filter(pk=row.pk).update(row_version=models.F("row_version") + 1)
    row.row_version += 1


@dataclass(frozen=True)
class StateMachine:
    """The transition table of one model: its state field and the transitions between states."""

    model_label: str
    field: str
    transitions: tuple[Transition, ...]

    def transition(self, name: str) -> Transition:
        for candidate in self.transitions:
            if candidate.name == name:
                return candidate
        raise KeyError(f"{self.model_label} has no transition '{name}'")

    def states(self) -> set[str]:
        found = set()
        for t in self.transitions:
            found |= t.sources | {t.target}
        return found

    def available(self, state: str, by_kind: str = WORKER) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources and by_kind in t.by]

    def allows(self, record, name: str, by_kind: str = WORKER) -> bool:
        t = self.transition(name)
        return getattr(record, self.field) in t.sources and by_kind in t.by

    def _on_behalf_of_client(self, t: Transition, kind: str, on_behalf: OnBehalf, day: date) -> str:
        """Only a worker acts for the client, and only in what the client may do."""
        if kind != WORKER or CLIENT not in t.by:
            raise RuleViolation(
                "on_behalf_allowed",
                "channel",
                _("This change is not one a worker makes on the client's behalf."),
            )
        on_behalf.check(rules_on(day))
        return kind

    def _state_label(self, row, state: str) -> str:
        field = row._meta.get_field(self.field)
        return str(dict(field.choices or []).get(state, state)).lower()

    @transaction.atomic
    def apply(
        self,
        record,
        name: str,
        *,
        effective_on: date,
        by=None,
        reason: str = "",
        expected_version: int | None = None,
        changes: dict | None = None,
        on_behalf: OnBehalf | None = None,
    ):
        """Make the transition and log it; returns the saved row (the caller's object too).
        A worker making a client's transition for them says how the client told them."""
        t = self.transition(name)
        kind = actor_kind(by)
        if on_behalf is not None:
            kind = self._on_behalf_of_client(t, kind, on_behalf, effective_on)
        if kind not in t.by:
            raise RuleViolation(
                "transition_by",
                self.field,
                _("This change is not made by the %(who)s.") % {"who": kind},
            )
        row = locked(record, expected_version)
        current = getattr(row, self.field)
        if current not in t.sources:
            raise Conflict(
                "state_allows",
                self.field,
                _("The %(record)s is %(state)s; that cannot be done to it now.")
                % {
                    "record": row._meta.verbose_name,
                    "state": self._state_label(row, current),
                },
            )
        for attribute, value in (changes or {}).items():
            setattr(row, attribute, value)
        setattr(row, self.field, t.target)
        row.row_version += 1
        row.save()
        StateChange.objects.create(
            entity=row._meta.label,
            entity_id=row.pk,
            client=row.client_data.client_of(row),
            transition=t.name,
            from_state=current,
            to_state=t.target,
            effective_on=effective_on,
            reason=reason,
            on_behalf_channel=on_behalf.channel if on_behalf else "",
            client_confirmed=bool(on_behalf and on_behalf.confirmed),
            **_actor_fields(by),
        )
        for attribute in [*(changes or {}), self.field, "row_version"]:
            setattr(record, attribute, getattr(row, attribute))
        return row

    def apply_to_all(
        self,
        rows: models.QuerySet,
        name: str,
        *,
        effective_on: date,
        reason: str,
        changes: dict | None = None,
    ) -> int:
        """The system makes one transition on many records at once, each logged: a set
        operation for scans over the whole population. Returns how many changed."""
        t = self.transition(name)
        if SYSTEM not in t.by:
            raise ValueError(f"{self.model_label}: '{name}' is not made by the system")
        model = rows.model
        client_field = model.client_data.client
        changing = list(
            rows.select_for_update()
            .filter(**{f"{self.field}__in": t.sources})
            .values_list("pk", self.field, f"{client_field}_id")
        )
        if not changing:
            return 0
        changed = 0
        for start in range(0, len(changing), CHUNK):
            ids = [pk for pk, _state, _client in changing[start : start + CHUNK]]
            changed += model._default_manager.filter(pk__in=ids).update(
                **{self.field: t.target, "row_version": models.F("row_version") + 1},
                **(changes or {}),
            )
        StateChange.objects.bulk_create(
            [
                StateChange(
                    entity=model._meta.label,
                    entity_id=pk,
                    client_id=client_id,
                    transition=t.name,
                    from_state=state,
                    to_state=t.target,
                    effective_on=effective_on,
                    reason=reason,
                    by_name=SYSTEM,
                )
                for pk, state, client_id in changing
            ],
            batch_size=1000,
        )
        return changed
