"""The document model: one tree every backend reads (nodes.py), and the
walks over it, written once (walk.py)."""

from pipeline.model.nodes import *  # noqa: F403 - the model is one namespace
from pipeline.model.walk import block_text, caption_repeats_alt, plain_text, reused  # noqa: F401
