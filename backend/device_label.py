"""A device's name as a person knows it, from its browser's User-Agent: "Android · Chrome".

Only the system and the browser, the two things the user can tell their devices apart by; ""
when neither is known (the UI then says "Unknown device" in its language).
"""

import re

# The first that matches wins: iPads and phones say "Mac OS X" and "Linux" too.
SYSTEMS = (
    ("Android", re.compile(r"Android")),
    ("iPhone", re.compile(r"iPhone|iPod")),
    ("iPad", re.compile(r"iPad")),
    ("Windows", re.compile(r"Windows")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("macOS", re.compile(r"Macintosh|Mac OS X")),
    ("Linux", re.compile(r"Linux|X11")),
)
# Browsers built on Chrome or Safari name those too: theirs first.
BROWSERS = (
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Version/[\d.]+.*Safari/")),
)
MAX_USER_AGENT = 512  # read no further: a real one is well within


def device_label(user_agent: str) -> str:
    text = user_agent[:MAX_USER_AGENT]
    system = next((name for name, found in SYSTEMS if found.search(text)), None)
    browser = next((name for name, found in BROWSERS if found.search(text)), None)
    return " · ".join(part for part in (system, browser) if part)
