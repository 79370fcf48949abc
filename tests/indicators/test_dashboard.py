"""The "Indicateurs" dashboard and its exports: who opens them, the periods its presets
give, French errors on a bad period (with the default period shown, never a guess), each
figure beside the previous period's, the SVG charts each followed by its data table, the
CSV/XLSX exports and the external one's "< 5", a bounded number of queries, and a page
the admin's Content-Security-Policy lets through (no inline style or script)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.utils import timezone

from indicators.forms import DateRange, Preset, preset_range
from tests.workflows.factories import make_user
from workflows.policies import COUNSELLORS, DATA_PROTECTION_OFFICERS, DIRECTION, MEDIATORS

from .test_figures import history, started  # noqa: F401

URL = "/admin/indicateurs/"
MARCH = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}


def admin_user(user):
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def direction(places):
    return admin_user(make_user("direction", DIRECTION, organisation=places["aveyron"]))


@pytest.fixture
def reader(client, coordinator):
    client.force_login(admin_user(coordinator))
    return client


def fix_today(monkeypatch, day: datetime.date) -> None:
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: noon)


# --- who ------------------------------------------------------------------------------------


def test_coordinators_and_direction_open_the_dashboard(client, coordinator, direction):
    for user in (admin_user(coordinator), direction):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert client.get(URL + "export.csv").status_code == 200
        assert b"/admin/indicateurs/" in client.get("/admin/").content


@pytest.mark.parametrize("group", [COUNSELLORS, MEDIATORS, DATA_PROTECTION_OFFICERS])
def test_other_roles_are_refused(client, places, group):
    user = admin_user(make_user("autre", group, organisation=places["aveyron"]))
    client.force_login(user)
    for path in ("", "export.csv", "export.xlsx", "export-externe.csv"):
        assert client.get(URL + path).status_code == 403, path
    assert b"/admin/indicateurs/" not in client.get("/admin/").content


def test_anonymous_goes_to_the_login(client, places):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(URL + "export.csv").status_code == 302


def test_direction_reads_the_api_too(direction, definition):
    from tests.api.conftest import token_client

    response = token_client(direction).get(
        "/api/indicators/", {"start": "2026-03-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200


def test_direction_reads_its_organisations_figures_and_nothing_else(
    client,
    direction,
    history,  # noqa: F811
):
    client.force_login(direction)
    html = client.get(URL, MARCH).content.decode()
    assert row(html, "Jeunes repérés")[0] == "3"  # not Toulouse's Hugo
    assert client.get("/admin/parcours/").status_code == 302  # Wagtail sends them home
    assert client.get("/admin/droits-des-jeunes/").status_code == 403
    assert client.get("/admin/parcours/journal-des-acces/").status_code == 302
    assert client.get("/admin/snippets/workflows/workflowdefinition/").status_code == 302
    assert client.get("/admin/maraudes/").status_code == 302


# --- the period -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        (Preset.THIS_MONTH, "2026-05-01", "2026-05-14"),
        (Preset.LAST_MONTH, "2026-04-01", "2026-04-30"),
        (Preset.THIS_QUARTER, "2026-04-01", "2026-05-14"),
        (Preset.THIS_YEAR, "2026-01-01", "2026-05-14"),
    ],
)
def test_presets_give_their_period(reader, monkeypatch, preset, start, end):
    fix_today(monkeypatch, datetime.date(2026, 5, 14))
    response = reader.get(URL, {"period": preset})
    assert response.context["period"] == DateRange(
        datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )


def test_last_month_in_january_and_the_previous_period():
    january = datetime.date(2026, 1, 10)
    assert preset_range(Preset.LAST_MONTH, january) == DateRange(
        datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)
    )
    march = DateRange(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert march.previous() == DateRange(datetime.date(2026, 1, 29), datetime.date(2026, 2, 28))


def test_the_default_period_is_this_month(reader, monkeypatch):
    fix_today(monkeypatch, datetime.date(2026, 5, 14))
    response = reader.get(URL)
    assert response.context["period"] == DateRange(
        datetime.date(2026, 5, 1), datetime.date(2026, 5, 14)
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "custom", "start": "2026-02-30", "end": "2026-03-31"}, "Saisissez une date"),
        ({"period": "custom", "start": "hier", "end": "2026-03-31"}, "Saisissez une date"),
        ({"period": "custom", "end": "2026-03-31"}, "Indiquez le premier jour"),
        ({"period": "custom", "start": "2026-03-31", "end": "2026-03-01"}, "précède son début"),
        ({"period": "custom", "start": "2020-01-01", "end": "2026-03-01"}, "dépasse trois ans"),
        ({"period": "siècle"}, "Sélectionnez un choix valide"),
        ({"antenna": "999999"}, "Sélectionnez un choix valide"),
    ],
)
def test_a_bad_period_shows_a_french_error_and_the_default_period(
    reader, monkeypatch, params, message
):
    fix_today(monkeypatch, datetime.date(2026, 5, 14))
    response = reader.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "période par défaut" in response.content.decode()
    assert response.context["period"] == DateRange(
        datetime.date(2026, 5, 1), datetime.date(2026, 5, 14)
    )


# --- the figures and charts -----------------------------------------------------------------


def row(html: str, label: str) -> list[str]:
    found = re.search(
        rf'<th scope="row">{re.escape(label)}</th>((?:<td class="ml-figures__number">[^<]*</td>)+)',
        html,
    )
    assert found, label
    return re.findall(r">([^<]*)</td>", found.group(1))


def test_figures_beside_the_previous_period(reader, history):  # noqa: F811
    html = reader.get(URL, MARCH).content.decode()
    # March: P1 and P3 left; the 30 days before (29/01–28/02): P6.
    assert row(html, "Sorties") == ["2", "1"]
    # March: P2, P3, P4; before: P1, P7, P8 (P6 was created on 05/01).
    assert row(html, "Jeunes repérés") == ["3", "3"]
    assert row(html, "Taux de sorties positives (%)") == ["50 %", "0 %"]
    assert "Du 01/03/2026 au 31/03/2026" in html
    assert "du 29/01/2026 au 28/02/2026" in html


def test_charts_each_followed_by_their_table(reader, history):  # noqa: F811
    html = reader.get(URL, MARCH).content.decode()
    assert html.count('<svg class="ml-chart"') == 4
    for title in (
        "Entrées en accompagnement et sorties, par mois",
        "Entonnoir des parcours créés dans la période",
        "Jeunes repérés, par origine",
        "Jeunes accompagnés dans un quartier prioritaire (QPV)",
    ):
        chart = html.index(f'role="img" aria-label="{title}"')
        table = html.index(f"<caption>Données du graphique : {title}</caption>")
        assert chart < table
    assert row(html, "03/2026") == ["3", "2"]
    assert row(html, "Maraude") == ["1"]
    assert row(html, "Dans un QPV") == ["0"]
    assert 'viewBox="0 0 600' in html and 'width="100%"' in html


def test_a_filter_narrows_the_figures(reader, history, places):  # noqa: F811
    html = reader.get(URL, {**MARCH, "antenna": places["second_antenna"].pk}).content.decode()
    assert row(html, "Jeunes repérés")[0] == "1"
    assert f'value="{places["second_antenna"].pk}" selected' in html
    assert (
        f"export.csv?period=custom&amp;start=2026-03-01&amp;end=2026-03-31&amp;antenna={places['second_antenna'].pk}"
        in html
    )


def test_empty_state_without_data(reader, definition):
    html = reader.get(URL, MARCH).content.decode()
    assert "Aucune donnée pour cette période" in html
    assert '<svg class="ml-chart"' not in html


def test_no_inline_style_or_script(reader, history):  # noqa: F811
    html = reader.get(URL, MARCH).content.decode()
    main = html[html.index('class="ml-figures"') :]
    assert " style=" not in main
    assert "<script" not in main
    assert "<style" not in main


def test_queries_do_not_grow_with_pathways(
    reader,
    history,  # noqa: F811
    coordinator,
    places,
    django_assert_max_num_queries,  # noqa: F811
):
    reader.get(URL, MARCH)  # builds each revision's spec once per process
    with django_assert_max_num_queries(25) as first:
        reader.get(URL, MARCH)
    for index in range(6):
        started(
            datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC),
            actor=coordinator,
            revision_id=None,
            antenna=places["antenna"],
            first_name=f"N{index}",
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = reader.get(URL, MARCH)
    assert row(response.content.decode(), "Jeunes repérés")[0] == "9"


# --- the exports ----------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_export(reader, history):  # noqa: F811
    response = reader.get(URL + "export.csv", MARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "indicateurs-2026-03-01-2026-03-31.csv" in response["Content-Disposition"]
    table = csv_rows(response)
    assert table[0] == ["Du", "Au", "Découpage", "Groupe", "Indicateur", "Valeur"]
    assert ["2026-03-01", "2026-03-31", "Ensemble", "Ensemble", "Sorties", "2"] in table
    assert ["2026-03-01", "2026-03-31", "Ensemble", "Ensemble", "Maraudes", "2"] in table
    assert [
        "2026-03-01", "2026-03-31", "Antenne", "Antenne de Villefranche-de-Rouergue",
        "Jeunes repérés", "1",
    ] in table  # fmt: skip


def test_xlsx_export_opens(reader, history):  # noqa: F811
    response = reader.get(URL + "export.xlsx", MARCH)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ("Du", "Au", "Découpage", "Groupe", "Indicateur", "Valeur")
    assert ("2026-03-01", "2026-03-31", "Ensemble", "Ensemble", "Sorties", 2) in values


def test_external_export_hides_one_to_four(reader, history):  # noqa: F811
    table = csv_rows(reader.get(URL + "export-externe.csv", MARCH))
    whole = {r[4]: r[5] for r in table[1:] if r[2] == "Ensemble"}
    assert whole["Sorties"] == "< 5"  # 2
    assert whole["Jeunes repérés"] == "< 5"  # 3
    assert whole["Jeunes rencontrés en maraude"] == "8"
    assert whole["Sorties, par issue : Neutre"] == "0"
    assert whole["Taux de sorties positives (%)"] == ""  # on two exits: not given
    assert [r for r in table[1:] if r[5] in {"1", "2", "3", "4"}] == []
    sheet = openpyxl.load_workbook(
        io.BytesIO(reader.get(URL + "export-externe.xlsx", MARCH).content)
    ).active
    # Every count (the medians are numbers of days, not of young people).
    cells = [r[5] for r in sheet.iter_rows(min_row=2, values_only=True) if "médian" not in r[4]]
    assert "< 5" in cells and 8 in cells and 0 in cells
    assert not any(isinstance(c, int) and 1 <= c <= 4 for c in cells)


def test_an_export_of_a_bad_period_goes_back_to_the_dashboard(reader, history):  # noqa: F811
    bad = {"period": "custom", "start": "2026-02-30", "end": "2026-03-31"}
    response = reader.get(URL + "export-externe.csv", bad)
    assert response.status_code == 302
    assert response["Location"].startswith(URL + "?")
    assert "Saisissez une date" in reader.get(response["Location"]).content.decode()


def test_export_cells_are_safe(reader, history, places):  # noqa: F811
    places["second_antenna"].name = "=HYPERLINK(1)"
    places["second_antenna"].save()
    table = csv_rows(reader.get(URL + "export.csv", MARCH))
    assert any(r[3] == "'=HYPERLINK(1)" for r in table)


def test_the_page_prints_as_a_report(reader, definition):
    html = reader.get(URL).content.decode()
    assert "/static/indicators/dashboard.css" in html
    assert 'class="ml-figures__print-title"' in html
    css = Path(finders.find("indicators/dashboard.css")).read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    assert ".ml-figures__form" in printed and ".ml-figures__print-title" in printed
