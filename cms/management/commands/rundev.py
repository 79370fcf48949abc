"""Runs the web server and a django-q2 cluster side by side, for `make run`.

One Ctrl-C stops both: the cluster is a child process that is terminated when the server
returns, whichever way it returns."""

import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Lance le serveur web et le cluster django-q2 ensemble (Ctrl-C arrête les deux)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options) -> None:
        # Ctrl-C, or a SIGTERM from a process manager, stops both, even when the shell that
        # started us had SIGINT ignored (background jobs).
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.default_int_handler)
        # In its own session, so that only we signal it, once: django-q2 trips over a
        # terminal's SIGINT followed by our SIGTERM.
        cluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], start_new_session=True
        )
        self.stdout.write(f"Cluster django-q2 démarré (processus {cluster.pid}).")
        try:
            call_command("runserver", addrport, use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            cluster.terminate()
            try:
                cluster.wait(timeout=15)
            except subprocess.TimeoutExpired:
                cluster.kill()
            self.stdout.write("Serveur et cluster arrêtés.")
