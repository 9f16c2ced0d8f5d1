"""Themes and polarity of a finding, learned from labelled findings.

``model.json`` is the artefact ``make train`` writes from ``training/labels/`` (see the
README's model card); :func:`default_model` reads it once per process and
:meth:`Model.classify` labels one finding from its text, kind, section and judgement area.
The theme lexicon (``lexicon``) and the polarity cues (``cues``) are some of its features.
"""

from app.classifier.features import FindingInput
from app.classifier.model import MODEL_PATH, Model, ModelError, default_model, load_model
from app.classifier.scoring import Labels, ThemeMatch

__all__ = [
    "MODEL_PATH",
    "FindingInput",
    "Labels",
    "Model",
    "ModelError",
    "ThemeMatch",
    "default_model",
    "load_model",
]
