"""The shipped model, read when this module is imported.

The extraction workers' fork server imports it (`app.workers.worker_context`), so every child
forked from it starts with the model in memory instead of reading `model.json` for each
document. A missing or broken artefact is not this module's to report: the seed job and the
service stop at start with the message (`ModelError`), and a child that extracts without it
fails its document with the same message.
"""

from contextlib import suppress

from app.classifier.model import ModelError, default_model

with suppress(ModelError):
    default_model()
