"""policyc: compiles a trust's model policies and school overlays into tailored HTML and PDF."""

__version__ = "0.1.0"
