"""What every DRF endpoint of the project shares: one error shape (`errors`), bounded
pagination (`pagination`), conditional requests (`conditional`), the OpenAPI pieces that
document them (`schema`), and the admin screen that issues API tokens (`views`).

Plumbing: imports none of the project's apps. See docs/architecture.md."""
