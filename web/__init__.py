"""Participants' pages in a browser (`kring serve`): the live agenda and the evaluation form.

One more thin client over the store, like the note-taker's. No Textual here.
"""
