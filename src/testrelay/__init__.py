"""testrelay: report test results from any CI job where people look."""

__version__ = "0.1.0"
