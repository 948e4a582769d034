"""Measure the back office's pages at the Secretariat's real scale.

Usage: `make bench` (or `.venv/bin/python bench/run.py [--documents N] [--repeat N]`).
Builds a separate database (var/bench.sqlite3 unless BENCH_DATABASE_URL is set) with the 47
reference Parties, N documents and a user per 5 documents, then times each admin changelist
for a Secretariat officer and a State coordinator: median and worst of --repeat requests, and
the number of queries. Paste the table into docs/performance.md with the command line.
"""

import argparse

from common import start_django, timed

start_django("bench.sqlite3")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from secretariat import services  # noqa: E402
from secretariat.models import Document, Organisation, Party, Role, User  # noqa: E402

PAGES = ["party", "organisation", "user", "document", "conventionarticle"]


def seed(documents: int) -> None:
    call_command("migrate", verbosity=0)
    services.load_reference_data()
    if Document.objects.count() >= documents:
        return
    parties = list(Party.objects.all())
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench organisation {i}", kind="ngo", party=parties[i % len(parties)])
        for i in range(500)
    )
    User.objects.bulk_create(
        User(username=f"bench-user-{i}", role=Role.STATE_CONTRIBUTOR, party=parties[i % len(parties)])
        for i in range(documents // 5)
    )
    Document.objects.bulk_create(
        Document(
            reference=f"BENCH({i})",
            title=f"Bench document {i}",
            kind="replies",
            date=f"20{10 + i % 15}-0{1 + i % 9}-15",
            language="en",
            url="https://www.coe.int",
            party=parties[i % len(parties)],
            organisation=organisations[i % 500] if i % 4 == 0 else None,
        )
        for i in range(documents)
    )


def persona(username: str, role: str, party: Party | None) -> Client:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "party": party})
    client = Client()
    client.force_login(user)
    return client


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return timed(get, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    seed(args.documents)
    personas = {
        "Secretariat officer": persona("bench-officer", Role.SECRETARIAT_OFFICER, None),
        "State coordinator (FRA)": persona(
            "bench-coordinator", Role.STATE_COORDINATOR, Party.objects.get(code="FRA")
        ),
    }
    counts = {
        model._meta.verbose_name_plural: model.objects.count()
        for model in (Document, User, Organisation, Party)
    }
    print(f"{connection.vendor}: {counts}; {args.repeat} requests each")
    print("| page | persona | median ms | worst ms | queries |")
    print("|---|---|---|---|---|")
    for name, client in personas.items():
        for page in PAGES:
            median, worst, queries = measure(client, f"/admin/secretariat/{page}/", args.repeat)
            print(f"| {page} changelist | {name} | {median:.1f} | {worst:.1f} | {queries} |")


if __name__ == "__main__":
    main()
