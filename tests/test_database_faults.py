"""PostgreSQL goes away in the middle of a burst of writes through the API: every write
that was acknowledged is there afterwards and whole (the client with the audit event of
its registration), the service answers 503 (never 500) while the database is away, and
it recovers by itself. In CI (CI=true, root, Debian's pg_ctlcluster) the server itself is
stopped at once (`-m immediate`, a crash: recovery replays the write-ahead log) and
started again; elsewhere the test database refuses connections and every session to it
is ended, so that a developer's other databases on the server are left alone."""

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from kaveri.access.chain import seal_all, verify_chain
from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.access.tokens import create_token
from kaveri.demo.identity import synthetic_hetu
from kaveri.people.lookup_key import identity_key
from kaveri.people.models import Client

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL fault"),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 4
ACKS_BEFORE_THE_FAULT = 20
ACKS_AFTER_RECOVERY = 20
OUTAGE_SECONDS = 3


def _local_cluster() -> tuple[str, str] | None:
    """(version, name) of the Debian cluster serving the test database, when this test may
    stop it: in CI, as root, with the server on this machine."""
    settings = connection.settings_dict
    if os.environ.get("CI") != "true" or os.geteuid() != 0 or not shutil.which("pg_ctlcluster"):
        return None
    if settings["HOST"] not in ("127.0.0.1", "localhost", ""):
        return None
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    for line in listing.splitlines():
        version, name, port, status, *_ = line.split()
        if port == str(settings["PORT"] or 5432) and status == "online":
            return version, name
    return None


@contextmanager
def server_crashed_and_restarted(cluster: tuple[str, str]):
    version, name = cluster
    subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "immediate"], check=True)
    try:
        yield
    finally:
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)


@contextmanager
def database_cut_off():
    settings = connection.settings_dict
    database = settings["NAME"]
    admin = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [database],
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')


def outage():
    cluster = _local_cluster()
    return server_crashed_and_restarted(cluster) if cluster else database_cut_off()


class Burst:
    """Writers registering new clients through the API until told to stop."""

    def __init__(self, base_url: str, key: str):
        self.base_url, self.key = base_url, key
        self.lock = threading.Lock()
        self.next_index = 1_650_000
        self.answers: list[tuple[str, int, dict]] = []
        self.stop = threading.Event()

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, json.loads(text) if text.startswith(b"{") else {}

    def write_one(self) -> None:
        with self.lock:
            hetu = synthetic_hetu(self.next_index)
            self.next_index += 1
        body = {"hetu": hetu, "first_names": "Kesto", "last_name": f"Kirjoitus{hetu[:6]}"}
        status, answer = self.request("POST", "/api/v1/clients", body)
        with self.lock:
            self.answers.append((hetu, status, answer))

    def run(self) -> None:
        while not self.stop.is_set():
            self.write_one()

    def acknowledged(self) -> list[tuple[str, dict]]:
        with self.lock:
            return [(hetu, answer) for hetu, status, answer in self.answers if status == 201]

    def wait_for_acks(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged()) < count:
            assert time.monotonic() < deadline, f"only {len(self.acknowledged())} writes went in"
            time.sleep(0.05)


def test_acknowledged_writes_survive_the_database_going_away(
    live_server, make_organisation, make_worker
):
    worker = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    _, key = create_token(worker.user, "fault test")
    burst = Burst(live_server.url, key)
    writers = [threading.Thread(target=burst.run) for _ in range(WRITERS)]
    for writer in writers:
        writer.start()
    try:
        burst.wait_for_acks(ACKS_BEFORE_THE_FAULT)
        with outage():
            time.sleep(OUTAGE_SECONDS)
            during = [burst.request("GET", "/health/")[0], burst.request("GET", "/api/v1/me")[0]]
        acks_at_recovery = len(burst.acknowledged())
        burst.wait_for_acks(acks_at_recovery + ACKS_AFTER_RECOVERY)
    finally:
        burst.stop.set()
        for writer in writers:
            writer.join(timeout=60)
        connection.close()

    statuses = {status for _, status, _ in burst.answers}
    assert during == [503, 503]
    assert statuses <= {201, 503}, f"answers other than 201 and 503: {statuses}"
    assert 503 in statuses, "no write was refused while the database was away"
    assert burst.request("GET", "/api/v1/me")[0] == 200

    acknowledged = burst.acknowledged()
    stored = {c.hetu_key: c for c in Client.objects.all()}
    for hetu, answer in acknowledged:
        client = stored.get(identity_key(hetu))
        assert client is not None, f"acknowledged client {answer['id']} was lost"
        assert client.pk == answer["id"] and client.last_name == answer["last_name"]
    registered = set(
        AuditEvent.objects.filter(action="client.create", allowed=True).values_list(
            "client_id", flat=True
        )
    )
    half_written = [c.pk for c in stored.values() if c.pk not in registered]
    assert half_written == [], "clients stored without the audit event of their registration"
    seal_all()
    assert verify_chain().broken is None
    refused = sum(status == 503 for _, status, _ in burst.answers)
    print(
        f"\nfault: {'server crash and restart' if _local_cluster() else 'database cut off'}; "
        f"{len(burst.answers)} writes sent, {len(acknowledged)} acknowledged and all present, "
        f"{refused} answered 503, {len(stored) - len(acknowledged)} stored without an answer, "
        f"0 half-written"
    )
