"""Widgets of the review screen. They post messages and never touch the store."""
