"""The frame the network's dialogs share."""

DIALOG_CSS = """
    {name} {{ align: center middle; }}
    {name} .dialog {{ width: 90%; max-width: 76; height: auto; max-height: 90%;
                      border: heavy $primary; background: $surface; padding: 0 1; }}
    {name} .hint {{ color: $text-muted; }}
"""
