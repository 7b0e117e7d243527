"""searchkit.repl"""
