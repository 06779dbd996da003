"""`tilint serve`: a local web page and JSON API for people who do not use a terminal.

Flask is imported only by `tilint.web.app`, so importing this package (or `tilint.cli`) stays cheap.
"""
