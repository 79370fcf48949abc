"""The French names of the figures and of their parts, shared by the dashboard and the
exports so that both read the same words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.choices import PathwaySource, StageCategory
from workflows.reporting import UNKNOWN, ExitOutcome, Programme

FIGURES = {
    "identified": _("Jeunes repérés"),
    "identified_by_source": _("Jeunes repérés, par origine"),
    "identified_in_rounds": _("Jeunes repérés en maraude"),
    "outreach_rounds": _("Maraudes"),
    "met_in_rounds": _("Jeunes rencontrés en maraude"),
    "accompanied": _("Jeunes accompagnés"),
    "support_entries": _("Entrées en accompagnement"),
    "support_entries_by_programme": _("Entrées en accompagnement, par dispositif"),
    "exits": _("Sorties"),
    "exits_by_outcome": _("Sorties, par issue"),
    "positive_exit_rate": _("Taux de sorties positives (%)"),
    "lost_contact": _("Passages « sans nouvelles »"),
    "re_engaged": _("Jeunes revenus après « sans nouvelles »"),
    "funnel": _("Entonnoir des parcours créés dans la période"),
    "median_days_to_reception": _("Délai médian avant le premier accueil (jours)"),
    "median_days_to_support": _("Délai médian avant l'accompagnement (jours)"),
}

UNKNOWN_LABEL = _("Non renseigné")

PARTS = {
    "identified_by_source": dict(PathwaySource.choices),
    "support_entries_by_programme": {**dict(Programme.choices), UNKNOWN: UNKNOWN_LABEL},
    "exits_by_outcome": {**dict(ExitOutcome.choices), UNKNOWN: UNKNOWN_LABEL},
    "funnel": dict(StageCategory.choices),
}

# The figures that are a number of young people, maraudes or transitions (the others are a
# rate or a number of days): the ones the external export hides from 1 to 4.
COUNTS = frozenset(FIGURES) - {
    "positive_exit_rate",
    "median_days_to_reception",
    "median_days_to_support",
}

BREAKDOWNS = {
    "antenna": _("Antenne"),
    "commune": _("Commune"),
    "qpv": _("Quartier prioritaire"),
    "age_band": _("Tranche d'âge"),
}
