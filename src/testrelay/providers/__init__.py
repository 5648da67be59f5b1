"""Provider adapters: one module per CI behind the CIProvider interface in base.py."""
