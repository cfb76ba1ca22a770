"""The commons' models, one module per mechanism."""
