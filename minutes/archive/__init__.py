"""A meeting's record as one ZIP file that can be checked offline (`excom archive`).

`writer` builds it from the database; `checker` verifies it with nothing but this project
installed; `README.md` beside them goes into every archive and documents its files.
"""
FORMAT = "excom-meeting-archive/1"
