"""pptoolkit: governance-as-code for patient partnership in quality improvement."""

__version__ = "0.1.0"
