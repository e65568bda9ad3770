"""Backup and restore as docs/deploy.md tells it: ``pg_dump -Fc`` of the database restored
with ``pg_restore`` into an empty database gives the data back (PostgreSQL only)."""

import os
import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from demo.factories import core as factories


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_an_empty_database_has_the_data(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("Backups are PostgreSQL dumps.")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed.")
    person = factories.UserFactory(email="sauvegarde@exemple.fr", last_name="Quais")
    database = connection.settings_dict
    server = {
        "host": database["HOST"] or "127.0.0.1",
        "port": str(database["PORT"] or 5432),
        "user": database["USER"] or "postgres",
    }
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    where = ["-h", server["host"], "-p", server["port"], "-U", server["user"]]
    dump = tmp_path / "ess.dump"
    subprocess.run(
        ["pg_dump", *where, "-Fc", "--no-owner", "-f", str(dump), database["NAME"]],
        check=True, env=env,
    )  # fmt: skip
    restored = f"{database['NAME']}_restored"
    subprocess.run(["dropdb", *where, "--if-exists", restored], check=True, env=env)
    subprocess.run(["createdb", *where, restored], check=True, env=env)
    try:
        subprocess.run(
            ["pg_restore", *where, "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
            check=True, env=env,
        )  # fmt: skip
        with psycopg.connect(
            dbname=restored, password=env["PGPASSWORD"] or None, **server
        ) as restored_connection:
            name = restored_connection.execute(
                "SELECT last_name FROM accounts_user WHERE email = %s", [person.email]
            ).fetchone()
    finally:
        subprocess.run(["dropdb", *where, "--if-exists", restored], check=True, env=env)
    assert name == ("Quais",)
