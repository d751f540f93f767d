"""The load scenario of `benchmarks/load.py`: caseworkers and clients at their daily work.

Each simulated person takes one prepared session (a caseworker named to clients, or a
client with a portal login) from the plan file that load.py writes, so that logging in
(a deliberately slow password hash) is not what is measured. The mix, by weight:

caseworker (WorkerUser): start page (the worklist) 6, a client page 5, the API worklist 2,
a name search 2, the client's access log 1, recording a change in a client's situation
(a write, on the client's behalf by phone) 1;
client (ClientUser): the portal's overview 4, my plan 2, my consents 1, who has seen my
data 1.
Every page view also writes its audit events, so every request writes.
"""

import itertools
import json
import os
import random
import threading

from locust import HttpUser, between, task

with open(os.environ["KAVERI_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
_lock = threading.Lock()
_next = {"worker": itertools.count(), "client": itertools.count()}


def take(kind: str) -> dict:
    people = PLAN[f"{kind}s"]
    with _lock:
        return people[next(_next[kind]) % len(people)]


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    kind = ""

    def on_start(self):
        self.person = take(self.kind)
        self.client.cookies.set(PLAN["session_cookie"], self.person["session"])
        self.client.cookies.set(PLAN["csrf_cookie"], PLAN["csrf_token"])
        self.rng = random.Random(self.person["session"])

    def post_form(self, path: str, data: dict, name: str):
        data = data | {"csrfmiddlewaretoken": PLAN["csrf_token"]}
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code in (200, 302):
                response.success()
            else:
                response.failure(f"{response.status_code}")


class WorkerUser(Person):
    weight = 10
    kind = "worker"

    def a_client(self) -> int:
        return self.rng.choice(self.person["clients"])

    @task(6)
    def start_page(self):
        self.client.get("/fi/workspace/", name="start page (worklist)")

    @task(5)
    def client_page(self):
        self.client.get(f"/fi/workspace/clients/{self.a_client()}/", name="client page")

    @task(2)
    def api_worklist(self):
        self.client.get("/api/v1/workspace/worklist", name="API worklist")

    @task(2)
    def name_search(self):
        surname = self.rng.choice(self.person["surnames"])
        self.post_form("/fi/workspace/search/", {"query": surname[:4]}, "name search")

    @task(1)
    def access_log(self):
        self.client.get(
            f"/fi/workspace/clients/{self.a_client()}/access-log/", name="client's access log"
        )

    @task(1)
    def report_change(self):
        self.post_form(
            f"/fi/workspace/clients/{self.a_client()}/changes/new/",
            {
                "kind": "ILLNESS",
                "starts_on": PLAN["today"],
                "details": "Kertoi puhelimessa sairastuneensa.",
                "channel": "PHONE",
                "confirmed": "on",
            },
            "record a situation change (write)",
        )


class ClientUser(Person):
    weight = 1
    kind = "client"

    @task(4)
    def overview(self):
        self.client.get("/fi/portal/", name="portal: overview")

    @task(2)
    def plan(self):
        if self.person["plan"]:
            self.client.get(f"/fi/portal/plans/{self.person['plan']}/", name="portal: my plan")

    @task(1)
    def consents(self):
        self.client.get("/fi/portal/consents/", name="portal: my consents")

    @task(1)
    def access_log(self):
        self.client.get("/fi/portal/access-log/", name="portal: who has seen my data")
