"""The review UI: a Textual workbench for confirming, editing and looking up.

Start it with ``tm review [DOC]`` or build it with :func:`tui.app.create_app`.
"""
