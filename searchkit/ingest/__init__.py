"""searchkit.ingest"""
