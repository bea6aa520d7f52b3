"""The document model: one tree every backend reads (nodes.py), and the
generic walks over it (walk.py)."""

from pipeline.model.nodes import *  # noqa: F403 - the model is one namespace
