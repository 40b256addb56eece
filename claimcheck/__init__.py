"""claimcheck: how much of an article can actually be checked?

Pipeline: inputs -> segment -> model (classifier) -> evidence -> report -> outputs.
"""
from .api import Checker, SentenceLabel
from .labels import LABELS
from .model import ModelError
from .report import ArticleReport, SentenceResult

__all__ = ["Checker", "SentenceLabel", "ArticleReport", "SentenceResult", "LABELS", "ModelError"]
__version__ = "0.1.0"
