"""Analysis: tokenisation, dates and named entities."""
