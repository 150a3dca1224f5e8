"""A high-contrast theme: readable on a projector from the back of the room."""

from textual.theme import Theme

CONTRAST = Theme(
    name="kring-contrast",
    primary="#FFD700",
    secondary="#00D7FF",
    accent="#00D7FF",
    warning="#FFA500",
    error="#FF4040",
    success="#5FFF5F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#101010",
    panel="#1C1C1C",
    dark=True,
)

LIGHT = Theme(
    name="kring-light",
    primary="#003FA0",
    secondary="#005F5F",
    accent="#7A0099",
    warning="#A04000",
    error="#B00000",
    success="#006400",
    foreground="#000000",
    background="#FFFFFF",
    surface="#F2F2F2",
    panel="#E6E6E6",
    dark=False,
)
