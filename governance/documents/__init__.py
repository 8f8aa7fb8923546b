"""Documents on agenda items: the board pack (annual report, financial report, ...).

Visible exactly as their item is; stored on disk, content-addressed (governance.documents.storage);
their type judged from their content (governance.documents.filetypes), never from their name.
"""
