"""cleaner's built-in plugins (import name ``cleaner_plugins``; the folder is ``plugins/``).

Each module is one plugin, registered through the ``cleaner`` entry-point group exactly
as a third-party plugin is. ``textstats`` is a shared helper, not a plugin: it re-exports
:mod:`cleaner.textstats`, the line statistics and the page view. Each plugin's thresholds
are named at the top of its own module.
"""
