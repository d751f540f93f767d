"""Identity codes are found through a keyed hash: no index, query or plan holds a code."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from kaveri.people.lookup_key import identity_key
from kaveri.people.models import Client

CODE = "010594Y9032"


def test_the_key_is_keyed_and_the_same_for_any_way_of_writing_the_code(settings):
    assert identity_key(CODE) == identity_key(" 010594y9032 ")
    assert CODE not in identity_key(CODE)
    first = identity_key(CODE)
    settings.KAVERI_AUDIT_KEY = "another deployment's key"
    assert identity_key(CODE) != first


def test_a_search_by_code_finds_the_client_without_the_code_in_the_query(make_client):
    person = make_client(hetu=CODE)
    make_client()
    with CaptureQueriesContext(connection) as queries:
        found = list(Client.objects.matching("010594y9032"))
    assert found == [person]
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert CODE not in sql.upper() and identity_key(CODE) in sql


def test_a_second_client_with_the_same_code_is_refused_by_the_keyed_index(make_client):
    make_client(hetu=CODE)
    with pytest.raises(IntegrityError):
        make_client(hetu=CODE.lower())


@pytest.mark.django_db
def test_no_index_holds_the_plain_identity_code():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Client._meta.db_table)
    indexed = [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]
    assert ["hetu_key"] in indexed
    assert not any("hetu" in columns for columns in indexed)


def test_the_exact_lookup_finds_the_client_by_its_key(make_client):
    person = make_client(hetu=CODE)
    assert Client.objects.with_identity_code(CODE).get() == person
    assert person.hetu_key == identity_key(CODE)
