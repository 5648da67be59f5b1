"""Fixtures every test folder may use: the Prism contract mocks, one set per session."""

pytest_plugins = ["support.contract_mocks"]
