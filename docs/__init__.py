"""The guide's sources; `python -m docs.generate` writes its generated parts."""
