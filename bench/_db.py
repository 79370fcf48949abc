"""Scratch PostgreSQL databases for the benchmarks: each bench makes its own, and drops it
at the end, so figures never depend on what another run left behind."""

from __future__ import annotations

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def _run(server: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def create_database(server: str, name: str) -> None:
    _run(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    _run(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
