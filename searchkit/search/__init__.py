"""searchkit.search"""
