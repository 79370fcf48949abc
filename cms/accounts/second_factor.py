"""The second factor: who must give one, enrolling an authenticator app, checking its codes.
The one entry point for each rule; the middleware and the views only call these."""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflows.policies import (
    COORDINATORS,
    COUNSELLORS,
    DATA_PROTECTION_OFFICERS,
    MEDIATORS,
    group_names,
)

# Accounts that read young people's records, health answers included, or run the install.
ROLES_WITH_SECOND_FACTOR = frozenset(
    {MEDIATORS, COUNSELLORS, COORDINATORS, DATA_PROTECTION_OFFICERS}
)
DEVICE_NAME = "Application d'authentification"


def requires_second_factor(user) -> bool:
    """Whether this account must give a TOTP code after its password (when the setting is on).
    A role is a Django group; the names are read once per request (policies.group_names)."""
    if not settings.TWO_FACTOR_REQUIRED or user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(group_names(user) & ROLES_WITH_SECOND_FACTOR)


def has_confirmed_device(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def is_verified(user) -> bool:
    """Whether this session gave its code: django-otp's OTPMiddleware reads it from the
    session and installs `is_verified` on the user."""
    return user.is_verified()


def may_enrol(user) -> bool:
    """A first device with the password alone; replacing one only from a verified session,
    or a stolen password would be enough to enrol the thief's phone."""
    return not has_confirmed_device(user) or is_verified(user)


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: the same secret on every reload of the enrolment page, so a
    code from an app set up a moment ago still matches; a new one once it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed by hand (base32, by 4)."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, made here: the secret never leaves the server."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code")


def confirm_enrolment(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirms the device if `token` is its current code, and marks the session verified.
    The user's other devices are removed: one authenticator app per account."""
    if device.user_id != request.user.pk or not device.verify_token(token.strip()):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    return True


def verify(request: HttpRequest, token: str) -> bool:
    """Marks the session verified if `token` is the current code of the user's device. A code
    is accepted once (django-otp keeps the last step used), and wrong codes make the next try
    wait longer (its throttling). The row is locked so two requests cannot both use a code."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=request.user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None or not device.verify_token(token.strip()):
            return False
    django_otp.login(request, device)
    return True
