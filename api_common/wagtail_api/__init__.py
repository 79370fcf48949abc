"""Wagtail's read API (pages, images, documents) as the project serves it under /api/v2/,
laid out as `wagtail/api/v2`: the viewsets (`views`), their pagination (`pagination`) and the
French wording of their refusals (`errors`). Subclasses of Wagtail's own classes, not
patches: every answer, refusals included, has the shape of the rest of the API
(`detail`, `code`, and `errors` per parameter on a 400), in French."""
