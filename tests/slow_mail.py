"""An e-mail backend for the crash test's cluster: each message takes a second to leave, so the
cluster can be killed while a task is sending, then one file per message."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "1")))
        return super().send_messages(email_messages)
