"""The admin pages of the project itself: the second factor's enrolment and verification."""

from django.urls import path
from wagtail import hooks

from cms.accounts import views


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [
        path("second-factor/enrol/", views.enrol, name="second_factor_enrol"),
        path("second-factor/verify/", views.verify_code, name="second_factor_verify"),
    ]
