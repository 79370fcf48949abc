"""The counsellor's own settings in the admin's account page (Wagtail's "Compte"): whether
they receive the weekly summary (workflows.services.weekly_summary). Registered in
wagtail_hooks with `register_account_settings_panel`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from . import policies
from .models import StaffProfile


class WeeklySummaryForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ["weekly_summary"]


class WeeklySummarySettingsPanel(BaseSettingsPanel):
    """Shown to counsellors only: the summary is theirs. Edits their staff profile (made
    on saving for a counsellor who has none yet)."""

    name = "weekly_summary"
    title = _("Récapitulatif de la semaine")
    tab = notifications_tab
    order = 200
    form_class = WeeklySummaryForm

    def is_active(self) -> bool:
        return policies.COUNSELLORS in policies.group_names(self.user)

    def get_form(self) -> WeeklySummaryForm:
        profile = StaffProfile.objects.filter(user=self.user).first() or StaffProfile(
            user=self.user
        )
        if self.request.method == "POST":
            return WeeklySummaryForm(self.request.POST, instance=profile, prefix=self.name)
        return WeeklySummaryForm(instance=profile, prefix=self.name)
