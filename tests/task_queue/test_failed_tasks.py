"""Failed background tasks, as an administrator sees them in the admin: the error, the
attempts, and "Relancer" after confirming."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import Failure, OrmQ
from django_q.signing import SignedPackage

from tests.workflows.factories import make_places, make_user
from workflows.policies import COORDINATORS

pytestmark = pytest.mark.usefixtures("admin_access")


def failed_task(func="workflows.tasks.notify_referent", error="SMTPServerDisconnected: fermé"):
    now = timezone.now()
    return Failure.objects.create(
        id=f"t{Failure.objects.count() + 1}",
        name="quatre-zebres-bleus",
        func=func,
        args=(41,),
        kwargs={},
        started=now,
        stopped=now,
        result=error,
        success=False,
        attempt_count=3,
    )


@pytest.fixture
def administrator(db):
    return make_user("administration", is_superuser=True, is_staff=True)


def test_an_administrator_sees_what_failed_and_why(client, administrator):
    failed_task()
    client.force_login(administrator)
    response = client.get(reverse("task_queue:failed"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "workflows.tasks.notify_referent" in page
    assert "SMTPServerDisconnected: fermé" in page
    assert "Relancer" in page


def test_nothing_failed_says_so(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("task_queue:failed")).content.decode()
    assert "Aucune tâche en échec" in page


def test_retrying_asks_first_then_queues_the_task_once(client, administrator):
    failure = failed_task()
    client.force_login(administrator)
    url = reverse("task_queue:retry", args=[failure.id])
    confirmation = client.get(url)
    assert "Oui, relancer" in confirmation.content.decode()
    assert not OrmQ.objects.exists()  # asking changes nothing

    response = client.post(url, follow=True)
    assert "remise dans la file" in response.content.decode()
    assert not Failure.objects.exists()
    [message] = OrmQ.objects.all()
    task = SignedPackage.loads(message.payload)
    assert (task["func"], task["args"]) == ("workflows.tasks.notify_referent", (41,))
    # A second click on the stale confirmation page finds nothing to queue.
    assert client.post(url).status_code == 404
    assert OrmQ.objects.count() == 1


def test_only_administrators_see_failed_tasks(client, db):
    failure = failed_task()
    coordinator = make_user("coordination", COORDINATORS, organisation=make_places()["aveyron"])
    client.force_login(coordinator)
    # Wagtail answers a refusal in its admin by sending the person back to its home page.
    for response in (
        client.get(reverse("task_queue:failed")),
        client.post(reverse("task_queue:retry", args=[failure.id])),
    ):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert Failure.objects.count() == 1
