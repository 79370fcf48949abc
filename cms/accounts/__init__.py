"""Login and sessions of the staff: the second factor (TOTP, django-otp) required of the
workflow roles, the session's absolute and idle limits, the login form. The lockout after
failed passwords is django-axes, configured in cms/settings/base.py."""
