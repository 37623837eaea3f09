"""Conversation scripts that NGO staff write themselves (`tests/scripts/<lang>/*.yml`), and their runner.

`python -m bot.staff_scripts` (`make scripts`) plays every script against the assistant over REST,
prints a matrix of topics × languages, writes `reports/scripts/index.html` and ends with
`N passed, M failed`. How to write one: docs/staff-guide.md.
"""
