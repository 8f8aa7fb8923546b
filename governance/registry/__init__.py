"""The organisation and its member registry."""
