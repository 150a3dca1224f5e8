"""The themes: high contrast, readable on a projector from the back of the room;
a colour-blind-safe one; and a light one."""

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

# Okabe and Ito's palette, told apart with every common colour-vision deficiency
# (about one man in twelve): warning orange, error vermillion, success bluish green.
COLOUR_SAFE = Theme(
    name="kring-colour-safe",
    primary="#56B4E9",
    secondary="#F0E442",
    accent="#CC79A7",
    warning="#E69F00",
    error="#D55E00",
    success="#009E73",
    foreground="#FFFFFF",
    background="#000000",
    surface="#101010",
    panel="#1C1C1C",
    dark=True,
)

THEMES = (CONTRAST, LIGHT, COLOUR_SAFE)  # the order ctrl+t goes through them
