"""The speakers' list of each agenda item: requests to speak (in the room or online), points of
order, and written questions (the program book's "Q&A function" for the online members)."""
