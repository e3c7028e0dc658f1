"""The read layer: a report file's bytes → its text form, pages and the reader's doubts (`Reading`).

A text extraction is decoded as it is; a PDF is read by geometry into the tabbed text form (malbas.etl.pdf).
Nothing here parses: the parser (malbas.etl.parse) takes a `Reading`'s text and doubts.
"""
