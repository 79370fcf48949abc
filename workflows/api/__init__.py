"""The workflow API, in the shape of Wagtail's `wagtail.api.v2`: published definitions,
pathways, transitions, history and contacts, for authenticated users with a workflow role.

Every read starts from `policies.visible_pathways`, every write goes through the services
the admin screens use (`start_pathway`, `fire_transition`, `log_contact`), and refusals carry
the services' own French message and reason code: the API cannot drift from the admin.

- `permissions`: who may call it;
- `filters`: the list's backends (the filter set itself is `workflows.filters`, shared with
  the "Mes jeunes" screen);
- `fields`, `serializers`: request bodies, and the responses, each field written once;
- `errors`: refusals as HTTP answers, If-Match and the ETag;
- `schema`: what the OpenAPI document adds to the code (summaries, examples);
- `views`, `urls`: the viewsets and their routes.

See docs/architecture.md."""
