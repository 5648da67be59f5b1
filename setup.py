"""The one part of the build pyproject.toml cannot say: the optional C fast path of the JUnit reader.

It needs a C compiler and expat's headers (Debian: gcc, libexpat1-dev). Where either
is missing the build goes on without it and testrelay reads JUnit in pure Python,
with the same results, more slowly.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "testrelay.results._fastjunit",
            sources=["src/testrelay/results/_fastjunit.c"],
            libraries=["expat"],
            optional=True,
        )
    ]
)
