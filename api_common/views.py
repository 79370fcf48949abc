"""API tokens in the Wagtail admin: an administrator gives a user a token, sees it once, and
revokes it. DRF's `authtoken` stores one token per user; its key is never put in a URL and
is shown only right after it is made."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from rest_framework.authtoken.models import Token
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

MANAGE_PERMISSIONS = ("authtoken.add_token", "authtoken.delete_token")


def can_manage_tokens(user) -> bool:
    return user.is_active and user.has_perms(MANAGE_PERMISSIONS)


class TokenForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Utilisateur"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text=_(
            "Un utilisateur a au plus un jeton : en créer un nouveau remplace l'ancien, "
            "qui cesse aussitôt de fonctionner. Le jeton a les mêmes droits que l'utilisateur."
        ),
    )


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
        context["tokens"] = Token.objects.select_related("user").order_by("user__username")
        context["new_key"] = self.request.session.pop("api_token_new_key", None)
        return context

    def form_valid(self, form):
        user = form.cleaned_data["user"]
        with transaction.atomic():
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
        # Shown once, on the next page, then dropped from the session.
        self.request.session["api_token_new_key"] = {"user": str(user), "key": token.key}
        messages.success(self.request, _("Jeton créé pour %(user)s.") % {"user": user})
        return redirect(reverse("api_tokens:index"))


class TokenRevokeView(TokenAdminMixin, View):
    http_method_names = ["post"]

    def post(self, request, user_id: int):
        token = get_object_or_404(Token.objects.select_related("user"), user_id=user_id)
        username = str(token.user)
        token.delete()
        messages.success(request, _("Jeton de %(user)s révoqué.") % {"user": username})
        return redirect(reverse("api_tokens:index"))
