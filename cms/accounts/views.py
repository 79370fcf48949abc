"""The two pages of the second factor, in the admin: enrol an authenticator app (QR code and
secret, then a first code), and give a code after the password."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import TokenForm
from .second_factor import (
    confirm_enrolment,
    has_confirmed_device,
    may_enrol,
    pending_device,
    qr_code_svg,
    secret_of,
    verify,
)

WRONG_CODE = gettext_lazy(
    "Code incorrect ou expiré. Saisissez le code affiché en ce moment par l'application."
)


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: the page first asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _go_to(url_name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}")


def enrol(request: HttpRequest) -> HttpResponse:
    if not may_enrol(request.user):
        return _go_to("second_factor_verify", request)
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if confirm_enrolment(request, device, form.cleaned_data["token"]):
            messages.success(request, _("Double authentification activée."))
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": qr_code_svg(device),
        "secret": secret_of(device),
    }
    return TemplateResponse(request, "cms/second_factor_enrol.html", context)


def verify_code(request: HttpRequest) -> HttpResponse:
    if not has_confirmed_device(request.user):
        return _go_to("second_factor_enrol", request)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if verify(request, form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    return TemplateResponse(
        request, "cms/second_factor_verify.html", {"form": form, "next": _next_url(request)}
    )
