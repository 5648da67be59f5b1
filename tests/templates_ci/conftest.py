"""The contract mocks of tests/contract/, for the end-to-end runs of the templates."""

from contract.conftest import contract, mocks

__all__ = ["contract", "mocks"]
