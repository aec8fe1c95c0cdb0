"""The JSON shapes of the API (marshmallow), one module per resource group: what each endpoint
reads and sends. The OpenAPI document is generated from these classes (apispec), so they are
also its reference, and a class's name (less "Schema") is its component's name.

`common` (the UTC time field, limits, shared field factories), `banks` (banks, sources,
passages, a quiz without keys), `attempts` (attempts and a learner's history), `classes`
(classes, learners, assignments and the teachers' reports), `authoring` (facts and
hand-written questions), `tokens` (`/me` and its token).

Times are UTC in RFC 3339 with a "Z"; ids are the database's; a bank and a source are named by
their slug, as in the browser's URLs.
"""
