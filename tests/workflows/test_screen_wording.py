import datetime

from django.utils import timezone

from workflows.templatetags.workflow_screens import time_in_stage


def test_time_in_stage_reads_naturally():
    now = timezone.now()
    assert time_in_stage(now - datetime.timedelta(seconds=20), now) == "depuis un instant"
    # Django joins number and unit with a no-break space.
    assert (
        time_in_stage(now - datetime.timedelta(days=20), now) == "depuis 2\xa0semaines, 6\xa0jours"
    )
