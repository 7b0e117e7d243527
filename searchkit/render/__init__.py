"""searchkit.render"""
