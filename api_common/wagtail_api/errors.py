"""Wagtail's API refuses a bad query with an English sentence (`BadRequestError`) and an
unknown object with Django's 404. Here each becomes the API's shape, in French, with the
parameter at fault named in `errors` so that a program can tell which one to fix."""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from wagtail.api.v2.utils import BadRequestError

from api_common.errors import APIError

INVALID_QUERY = _("Certains paramètres de la requête sont invalides.")
PAGE_ID_EXPECTED = _("Un identifiant de page (nombre entier positif) est attendu.")
NO_SUCH_PAGE = _("Aucune page publiée ne porte cet identifiant.")
NOT_WHILE_SEARCHING = _("Impossible avec une recherche : ce champ n'est pas indexé.")

# Wagtail's sentence → (the parameter at fault, or the group that names it; French message).
# Read in order; the first that matches wins. A sentence not listed still gets a French
# answer (the last resort in `bad_request`), only less precise.
_WAGTAIL_REFUSALS: list[tuple[re.Pattern[str], str, Promise]] = [
    (
        re.compile(r"^query parameter is not an operation or a recognised field: (?P<p>.+)$"),
        "p",
        _("Paramètre inconnu : ni une opération, ni un champ filtrable."),
    ),
    (
        re.compile(r"^unknown fields: (?P<v>.+)$"),
        "fields",
        _("Champ inconnu : %(v)s."),
    ),
    (re.compile(r"^fields error: "), "fields", _("La liste de champs est mal formée.")),
    (
        re.compile(r"^'(?P<v>.+)' does not support nested fields$"),
        "fields",
        _("Le champ « %(v)s » n'a pas de sous-champs."),
    ),
    (re.compile(r"^type doesn't exist$"), "type", _("Ce type de page n'existe pas.")),
    (
        re.compile(r"^(?P<p>child_of|ancestor_of|descendant_of|translation_of) must be a "),
        "p",
        PAGE_ID_EXPECTED,
    ),
    (re.compile(r"^parent page doesn't exist$"), "child_of", NO_SUCH_PAGE),
    (re.compile(r"^descendant page doesn't exist$"), "ancestor_of", NO_SUCH_PAGE),
    (re.compile(r"^ancestor page doesn't exist$"), "descendant_of", NO_SUCH_PAGE),
    (re.compile(r"^translation_of page doesn't exist$"), "translation_of", NO_SUCH_PAGE),
    (
        re.compile(r"^filtering by descendant_of with child_of is not supported$"),
        "descendant_of",
        _("« descendant_of » ne se combine pas avec « child_of »."),
    ),
    (
        re.compile(r"^field filter error\. null characters are not allowed for (?P<p>\S+)$"),
        "p",
        _("Ce paramètre contient un octet nul."),
    ),
    (
        re.compile(r"^field filter error\. '.*' is not a valid value for (?P<p>\S+) \("),
        "p",
        _("Cette valeur ne convient pas à ce champ."),
    ),
    (
        re.compile(r"^random ordering cannot be combined with other fields$"),
        "order",
        _("« random » ne se combine pas avec un autre tri."),
    ),
    (
        re.compile(r"^random ordering with offset is not supported$"),
        "order",
        _("« random » ne se combine pas avec « offset »."),
    ),
    (
        re.compile(r"^cannot order by '(?P<v>.*)' while searching"),
        "order",
        NOT_WHILE_SEARCHING,
    ),
    (
        re.compile(r"^cannot order by '(?P<v>.*)' \("),
        "order",
        _("Impossible de trier par « %(v)s »."),
    ),
    (
        re.compile(r"^cannot filter by '(?P<p>.*)' while searching"),
        "p",
        NOT_WHILE_SEARCHING,
    ),
    (re.compile(r"^search is disabled$"), "search", _("La recherche n'est pas disponible.")),
    (
        re.compile(r"^filtering by tag with a search query is not supported$"),
        "search",
        _("La recherche ne se combine pas avec un filtre par mot-clé."),
    ),
    (
        re.compile(r"^rich_text_format must be one of "),
        "rich_text_format",
        _("Format inconnu : « html », « markdown », « db_html » ou « db_markdown »."),
    ),
]


def invalid_query(errors: dict[str, list[str]]) -> APIError:
    """A 400 of the API's shape: one French sentence, then the messages per parameter."""
    return APIError(
        status.HTTP_400_BAD_REQUEST, str(INVALID_QUERY), "invalid_query", {"errors": errors}
    )


def bad_request(error: BadRequestError) -> APIError:
    """Wagtail's English refusal as the API's French 400."""
    sentence = str(error)
    for pattern, parameter, message in _WAGTAIL_REFUSALS:
        found = pattern.match(sentence)
        if found is None:
            continue
        groups = found.groupdict()
        names = groups.get(parameter, parameter)
        text = str(message) % groups if "%(" in str(message) else str(message)
        return invalid_query({name.strip(): [text] for name in names.split(",")})
    return invalid_query({"non_field_errors": [str(_("Cette requête ne peut pas être lue."))]})
