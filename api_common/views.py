"""API tokens in the Wagtail admin: an administrator gives an account a token for a chosen
time (90 days unless told, a year at most), sees its secret once, on the page that answers
the creation and nowhere else, lists every token (its first characters, dates, state) and
revokes one after confirming. The rules are `api_common.tokens`'."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import APIToken

from api_common import tokens

MANAGE_PERMISSIONS = ("wagtailcore.add_apitoken", "wagtailcore.delete_apitoken")


def can_manage_tokens(user) -> bool:
    return user.is_active and user.has_perms(MANAGE_PERMISSIONS)


def _lifetime_label(days: int) -> str:
    return str(_("1 an")) if days == 365 else str(_("%(days)s jours") % {"days": days})


class TokenForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Utilisateur"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text=_(
            "Le jeton a les mêmes droits que ce compte. Jamais un super-utilisateur : créez un "
            "compte dédié à l'application."
        ),
    )
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=255,
        help_text=_("À quoi il sert, pour le reconnaître : par exemple « Application maraude »."),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Durée de validité"),
        choices=[(days, _lifetime_label(days)) for days in tokens.LIFETIME_CHOICES_DAYS],
        coerce=int,
        initial=tokens.DEFAULT_LIFETIME_DAYS,
        help_text=_("Un an au plus. À la fin, le jeton cesse de fonctionner."),
    )

    def clean_user(self):
        user = self.cleaned_data["user"]
        try:
            tokens.check_owner(user)
        except tokens.TokenRefused as refusal:
            raise forms.ValidationError(refusal.message, code=refusal.code) from None
        return user


class TokenAdminMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage_tokens(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TokenIndexView(TokenAdminMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "api_common/api_tokens.html"
    page_title = _("Jetons d'API")
    header_icon = "key"
    form_class = TokenForm

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = tokens.listed_tokens()
        return context

    def form_valid(self, form):
        token, secret = tokens.mint_token(
            owner=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            lifetime_days=form.cleaned_data["lifetime_days"],
            by=self.request.user,
        )
        # Answered here, not after a redirect: the secret is never stored, not even in the
        # session. The admin's pages are sent with "Cache-Control: no-store".
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), new_token=token, new_secret=secret)
        )


class TokenRevokeView(TokenAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation; POST revokes."""

    template_name = "api_common/api_token_revoke.html"
    page_title = _("Révoquer un jeton d'API")
    header_icon = "key"

    @cached_property
    def token(self) -> APIToken:
        """Read after the permission check: an outsider learns nothing of which ids exist."""
        try:
            return tokens.revocable_token(self.kwargs["pk"])
        except APIToken.DoesNotExist:
            raise Http404 from None

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("api_tokens:index"), "label": _("Jetons d'API")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.token, **kwargs)

    def post(self, request, pk: int):
        tokens.revoke_token(self.token, by=request.user)
        messages.success(
            request,
            _("Jeton « %(name)s » révoqué : il ne fonctionne plus.") % {"name": self.token.name},
        )
        return redirect(reverse("api_tokens:index"))
