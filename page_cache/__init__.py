"""Full-page cache for anonymous visitors, served at the WSGI layer.

Plumbing: imports none of the project's apps. Pages opt in with `mixins.CachedPageMixin`;
`generation` is the public interface for everything else. See docs/architecture.md."""
