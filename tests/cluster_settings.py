"""Settings of the django-q2 cluster the crash test starts: the production queue set-up
(`cms.settings.base.Q_CLUSTER`, the ORM broker) with short delays, so a task lost by a killed
cluster comes back within seconds instead of two minutes."""

import os

from cms.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.slow_mail.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["CRASH_TEST_MAIL_DIR"]
# `retry` stays longer than `timeout`, as in production.
Q_CLUSTER = {**Q_CLUSTER, "timeout": 5, "retry": 8, "poll": 0.2}  # noqa: F405
