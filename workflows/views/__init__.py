"""The counsellors' and mediators' screens in the Wagtail admin, one module per screen:
"Mes jeunes" (`caseload`), the board (`board`), the pathway page with its contacts and
transitions (`pathway`), the quick repérage (`identification`) and the maraudes
(`outreach_rounds`); the definition editor's viewset is in `definitions`.

Screens only read through `selectors` / `screen_selectors` (already scoped to the user) and
only write through the services; every refusal shown here is the transition service's. Their
URLs are in `workflows.admin_urls`, their menu in `workflows.menus`, and every hook that
registers them in `workflows.wagtail_hooks`; see docs/architecture.md."""
