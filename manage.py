#!/usr/bin/env python
"""Django's command-line utility; `lumbung` (lumbung.cli) is the same thing installed."""

from lumbung.cli import main

if __name__ == "__main__":
    main()
