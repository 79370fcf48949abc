"""axe-core in a browser test's page, under the site's Content-Security-Policy.

`page.add_script_tag` would write an inline `<script>`, which the policy blocks (and the
browser fixture would report); evaluating the file through the DevTools protocol is not a
page script, so it runs without loosening the policy."""

from pathlib import Path

from django.conf import settings

AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def load_axe(page) -> None:
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
