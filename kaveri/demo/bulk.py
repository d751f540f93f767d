"""Rows for a bulk load: model instances made cheaply, keyed up front, written by COPY.

The generator makes millions of records. `Model.__init__` and `bulk_create`'s SQL
compiler cost more than the database does, so a `Rows` makes each instance directly
(defaults filled, auto_now_add set to the load's moment, related objects cached so that
reading `record.organisation` asks no query) with its primary key taken from its chunk's
block of keys,
and writes each model's rows with one COPY on PostgreSQL or one executemany elsewhere.
Keys given up front let children point at parents before either is written; Django's
foreign keys are deferred to the commit, so the order of the tables does not matter.
Only for loads into a database no one else writes to meanwhile (the demo's setup).
"""

import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.db.models.base import ModelState


@dataclass
class Layout:
    """What making and writing one model's rows needs, worked out once."""

    model: type
    defaults: dict = field(default_factory=dict)
    fresh: list = field(default_factory=list)  # (name, attname, callable default)
    relations: dict = field(default_factory=dict)  # relation name -> attname of its key
    columns: list = field(default_factory=list)  # (column, attname, field)
    base: int = 0  # the keys of this load start after it
    block: int = 0  # keys set aside for each chunk
    next_id: int = 1
    limit: int = 0

    @staticmethod
    def columns_of(model: type) -> list:
        return [(f.column, f.attname, f) for f in model._meta.concrete_fields]

    @classmethod
    def of(cls, model: type, now, block: int) -> "Layout":
        layout = cls(model, block=block)
        for f in model._meta.concrete_fields:
            if f.is_relation:
                layout.relations[f.name] = f.attname
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                layout.defaults[f.attname] = now
            elif f.has_default() and callable(f.default):
                layout.fresh.append((f.name, f.attname, f.default))
            else:
                layout.defaults[f.attname] = f.get_default()
        layout.columns = cls.columns_of(model)
        layout.base = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        return layout

    def start_chunk(self, chunk: int) -> None:
        self.next_id = self.base + chunk * self.block + 1
        self.limit = self.next_id + self.block


def _postgres_value(f):
    """How a value goes into COPY's text format: psycopg dumps all but JSON and files."""
    if isinstance(f, models.JSONField):
        encoder = f.encoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    if isinstance(f, models.FileField):
        return lambda value: str(value or "")
    return None


class Rows:
    """The rows of one load, per model in the order the models were given.

    The load is made in chunks, and each chunk takes its keys from a block of its own
    (`per_chunk` keys of each model, or `per_chunk_of` for a model named there): the same
    chunk gets the same keys whichever process builds it and whenever, so the load is
    deterministic and chunks can be built side by side. A model with one row a client
    (the client) gets dense keys; the others leave gaps at the end of each block.
    """

    def __init__(self, models_: list[type], now, per_chunk: int, per_chunk_of: dict):
        self.layouts = {
            model: Layout.of(model, now, per_chunk_of.get(model, per_chunk)) for model in models_
        }
        self.pending: dict[type, list] = defaultdict(list)
        self.start_chunk(0)

    def start_chunk(self, chunk: int) -> None:
        for layout in self.layouts.values():
            layout.start_chunk(chunk)

    def new(self, model: type, **values):
        """An instance of `model` with `values` (related objects or their keys), keyed."""
        layout = self.layouts[model]
        row = model.__new__(model)
        attributes = row.__dict__
        attributes.update(layout.defaults)
        for name, attname, make in layout.fresh:
            if name not in values and attname not in values:
                attributes[attname] = make()
        cache = {}
        relations = layout.relations
        for name, value in values.items():
            if name in relations:
                attributes[relations[name]] = None if value is None else value.pk
                cache[name] = value
            else:
                attributes[name] = value
        state = ModelState.__new__(ModelState)
        state.__dict__.update(db="default", adding=False, fields_cache=cache)
        attributes["_state"] = state
        if attributes["id"] is None:
            if layout.next_id == layout.limit:
                raise OverflowError(f"A chunk made more {model.__name__} rows than its block holds")
            attributes["id"] = layout.next_id
            layout.next_id += 1
        self.pending[model].append(row)
        return row

    def take(self) -> dict[type, list]:
        """The pending rows, handed over to be written; this `Rows` starts empty again."""
        taken, self.pending = self.pending, defaultdict(list)
        return {model: taken[model] for model in self.layouts if model in taken}

    def reset_sequences(self) -> None:
        """Lets the database's own key sequences go on after the keys given here."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.layouts))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def write_rows(pending: dict[type, list]) -> int:
    """Writes rows taken from a `Rows`, table by table in the order they were given."""
    written = 0
    with connection.cursor() as cursor:
        for model, rows in pending.items():
            if rows:
                _write(cursor, Layout.columns_of(model), model, rows)
                written += len(rows)
    return written


def _write(cursor, columns: list, model: type, rows: list) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column, _a, _f in columns)
    if connection.vendor == "postgresql":
        converters = [(attname, _postgres_value(f)) for _c, attname, f in columns]
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                values = row.__dict__
                copy.write_row(
                    [
                        values[attname] if convert is None else convert(values[attname])
                        for attname, convert in converters
                    ]
                )
        return
    fields = [(attname, f) for _c, attname, f in columns]
    marks = ", ".join(["%s"] * len(fields))
    cursor.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks})",
        [
            [f.get_db_prep_save(row.__dict__[attname], connection) for attname, f in fields]
            for row in rows
        ],
    )


def loads_in_bulk() -> bool:
    """Whether a load may take the fast path: PostgreSQL, outside any transaction (not in
    a test's), where the keys can be set aside and chunks written side by side."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


@contextmanager
def foreign_keys_checked_after(models_: list[type]):
    """The foreign keys of these tables dropped for the load and added back after it,
    each checked once over the whole table instead of once per row at every commit."""
    if not loads_in_bulk():
        yield
        return
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)"
            " ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table, name, definition in keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )


def write_in_transaction(pending: dict[type, list]) -> int:
    with transaction.atomic():
        return write_rows(pending)
