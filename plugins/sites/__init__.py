"""The built-in site rules: one TOML rules file per site, shipped as package data.

Each name below is named by an entry point in the ``cleaner`` group (pyproject.toml), so
these plugins are loaded exactly as a third-party package's rules are; a file is read
only when a plugin manager registers it. The format is in docs/plugin-guide.md.
"""

from cleaner.rules import RulesResource

devdiscourse = RulesResource(__name__, "devdiscourse.toml")
pravda = RulesResource(__name__, "pravda.toml")
