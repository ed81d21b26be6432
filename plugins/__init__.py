"""cleaner's built-in plugins (import name ``cleaner_plugins``; the folder is ``plugins/``).

Each module is one plugin, registered through the ``cleaner`` entry-point group exactly
as a third-party plugin is. ``settings`` and ``textstats`` are shared helpers, not plugins
(``textstats`` re-exports :mod:`cleaner.textstats`, the line statistics and the page view).
"""
