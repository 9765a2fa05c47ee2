"""The review screen's keys: one table that both the bindings and the help screen use."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class Key:
    """One entry of the key map: what the help screen shows and what Textual binds."""

    group: str
    display: str
    keys: str
    action: str
    description: str
    footer: str = ""


# Every action has at least one key that plain xterm and tmux pass through:
# Ctrl+Enter and Alt+digits reach the app only in some terminals (Alt+1-3
# stay bound for those, unlisted), so each has
# a Ctrl+letter or an F-key beside it. "ctrl+\r" is Ctrl+Enter under xterm's
# modifyOtherKeys.
KEYS: tuple[Key, ...] = (
    Key(
        "Confirm",
        "Ctrl+Enter  Ctrl+S  F2",
        "ctrl+enter,ctrl+s,f2,ctrl+\r",
        "confirm",
        "Confirm and go to the next unconfirmed segment",
        "Confirm",
    ),
    # A target is one line, so Enter in the editor confirms too (as in OmegaT);
    # it is also what tmux and many terminals send for Ctrl+Enter.
    Key("Confirm", "Enter", "", "", "In the editor: confirm too (a segment has no line breaks)"),
    Key("Move", "Ctrl+N  Alt+↓", "ctrl+n,alt+down", "next_segment", "Next segment"),
    Key("Move", "Ctrl+P  Alt+↑", "ctrl+p,alt+up", "previous_segment", "Previous segment"),
    Key(
        "Move",
        "Ctrl+U  F3",
        "ctrl+u,f3",
        "next_needing_work",
        "Next segment needing work (new, draft or flagged)",
        "To do",
    ),
    Key("Move", "Tab", "", "", "Switch between the segment table and the editor"),
    Key("Insert", "F5  Ctrl+R", "f5,ctrl+r,alt+1", "insert_match(1)", "Insert TM match 1"),
    Key("Insert", "F6", "f6,alt+2", "insert_match(2)", "Insert TM match 2"),
    Key("Insert", "F7", "f7,alt+3", "insert_match(3)", "Insert TM match 3"),
    Key("Insert", "Ctrl+G  F4", "ctrl+g,f4", "copy_source", "Copy the source into the target"),
    Key(
        "Insert",
        "Ctrl+E  Alt+G",
        "ctrl+e,alt+g",
        "insert_term",
        "Insert a glossary term's English (press again: the next term)",
    ),
    Key("Insert", "Ctrl+T  F8", "ctrl+t,f8", "machine_translate", "Ask MT for this segment", "MT"),
    Key("Edit", "Ctrl+Z  Ctrl+Y", "", "", "Undo / redo typing in the editor"),
    Key("Edit", "Ctrl+A", "", "", "Select the whole target (to type over it)"),
    Key("Edit", "Alt+Z  F9", "alt+z,f9", "revert_segment", "Undo the changes to this segment"),
    Key("Look up", "Ctrl+F  Alt+F", "ctrl+f,alt+f", "filter", "Filter by status or text", "Filter"),
    Key(
        "Look up", "Ctrl+K  Alt+K", "ctrl+k,alt+k", "concordance", "Search the memory (concordance)"
    ),
    Key(
        "Look up",
        "Ctrl+O  Alt+T",
        "ctrl+o,alt+t",
        "add_term",
        "Add a glossary term from this segment",
    ),
    Key(
        "Look up",
        "Ctrl+B  Alt+B",
        "ctrl+b,alt+b",
        "next_panel",
        "Show the next side panel: matches, glossary, QA",
    ),
    Key("Review", "Alt+A  F11", "alt+a,f11", "approve", "Approve this segment (reviewer)"),
    Key(
        "Review",
        "Alt+R  F12",
        "alt+r,f12",
        "send_back",
        "Send this segment back to the translator, with a note",
    ),
    Key("Other", "Ctrl+L", "ctrl+l", "refresh", "Reload from the store (another window's changes)"),
    Key("Other", "F1  ?", "f1", "help", "This list of keys", "Help"),
    Key("Other", "Ctrl+Q  F10", "ctrl+q,f10", "quit", "Keep the draft and quit", "Quit"),
)


def review_bindings() -> list[BindingType]:
    """Textual bindings for every key in :data:`KEYS`."""
    bindings: list[BindingType] = []
    for key in KEYS:
        if not key.keys:
            continue
        # The footer shows a key that every terminal sends (not Ctrl+Enter, which
        # tmux and many terminals send as plain Enter), short enough for one
        # line at 80 columns: "^S" rather than "Ctrl+S".
        shown = [k for k in key.display.split("  ") if k != "Ctrl+Enter" and "Alt+" not in k]
        first = (shown or [key.display])[0].replace("Ctrl+", "^")
        # Priority, because the editor binds some of these (Ctrl+U, Ctrl+K, F6, F7)
        # to editing commands the translator can reach with other keys.
        bindings.append(
            Binding(
                key.keys,
                key.action,
                key.footer or key.description,
                show=bool(key.footer),
                key_display=first,
                priority=True,
            )
        )
    # "?" only outside the editor, where it would otherwise be typed.
    bindings.append(Binding("question_mark", "help", "Help", show=False))
    return bindings


def help_keys() -> list[tuple[str, str, str]]:
    """(group, keys, description) rows for the help screen."""
    return [(key.group, key.display, key.description) for key in KEYS]
