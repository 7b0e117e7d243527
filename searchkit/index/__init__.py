"""searchkit.index"""
