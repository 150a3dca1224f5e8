"""Small modal screens a key opens over a screen and that answer with `dismiss`:
a yes/no, a name, a choice, a list of keys. They know nothing of the App."""
