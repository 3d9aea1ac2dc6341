"""Without VIGIL_DATABASE_REPLICA_URL nothing changes: the router answers nothing, the replica
views run as before, no pin cookie is set; a replica URL without a PostgreSQL primary, or a
trusted proxy that is not an address, is a system check error. (The replica itself:
tests/multihost/test_replica.py, on a real standby.)"""

from __future__ import annotations

import pytest
from django.db import connections

from vigil.core import replica
from vigil.core.checks import replica_needs_postgres, trusted_proxies_parse
from vigil.records.models import Person

pytestmark = pytest.mark.django_db


def test_without_a_replica_the_router_leaves_every_query_to_django():
    assert not replica.configured()
    router = replica.ReplicaRouter()
    assert router.db_for_read(Person) is None
    assert router.db_for_write(Person) is None
    with replica.reading_from_replica() as used:
        assert used is False
        assert router.db_for_read(Person) is None
        assert Person.objects.all().db == "default"
    assert list(connections) == ["default"]


def test_without_a_replica_pages_set_no_pin_and_read_the_one_database(admin_client):
    assert admin_client.get("/checks/").status_code == 200
    answer = admin_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert answer.status_code == 302
    assert replica.PIN_COOKIE not in answer.cookies


def test_a_replica_without_a_postgresql_primary_is_a_check_error(settings):
    settings.DATABASE_URL = ""
    settings.DATABASE_REPLICA_URL = "postgres://vigil@db-replica.example.org/vigil"
    errors = replica_needs_postgres()
    assert [e.id for e in errors] == ["vigil.E001"]
    assert "VIGIL_DATABASE_REPLICA_URL" in errors[0].msg
    settings.DATABASE_REPLICA_URL = ""
    assert replica_needs_postgres() == []


def test_a_trusted_proxy_that_is_not_an_address_is_a_check_error(settings):
    settings.TRUSTED_PROXIES = "10.0.0.2, proxy.example.org"
    errors = trusted_proxies_parse()
    assert [e.id for e in errors] == ["vigil.E002"] and "proxy.example.org" in errors[0].msg
    settings.TRUSTED_PROXIES = "10.0.0.2, 10.1.0.0/16"
    assert trusted_proxies_parse() == []
