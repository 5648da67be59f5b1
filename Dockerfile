# testrelay as a GitHub container action (and a plain image for any other CI).
# Classic-builder syntax only: GitHub and older engines build this file without BuildKit features.

# The package is built into a wheel in a throwaway stage, so neither its source, the build
# backend that pip fetches for it, nor the C compiler and expat headers that its JUnit fast
# path is compiled with end up in the image (which keeps only the libexpat1 Python runs on).
FROM python:3.11-slim AS build
# The build tools are not pinned: nothing of them reaches the image, and a pinned Debian version
# disappears from the archive with the next point release, which would break every build.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libexpat1-dev \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml setup.py README.md /src/
COPY src /src/src
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels /src \
    && python -c "import zipfile, glob, sys; sys.exit(not any('_fastjunit' in n for n in zipfile.ZipFile(glob.glob('/wheels/*.whl')[0]).namelist()))"

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Runtime dependencies at the versions the project is tested with, binary wheels only, so no
# compiler is ever needed. This layer stays cached while only testrelay's own code changes.
COPY requirements.lock /usr/src/testrelay/requirements.lock
RUN pip install --no-cache-dir --no-deps --only-binary=:all: -r /usr/src/testrelay/requirements.lock

COPY --from=build /wheels /usr/src/testrelay/
RUN pip install --no-cache-dir --no-deps /usr/src/testrelay/*.whl \
    && pip check \
    && python -c "from testrelay.results.accelerated import FastParser; assert FastParser" \
    && testrelay --version

# GitHub runs container actions as root with the checkout mounted here; nothing in the image
# depends on the user or on a home directory.
COPY entrypoint /entrypoint
WORKDIR /github/workspace
ENTRYPOINT ["/entrypoint"]
