"""tm: an Indonesian to English translation workbench for the terminal.

The headless core: segmentation, the project store, translation memory,
machine translation and TMX. It never imports the UI.
"""

__version__ = "0.1.0"
