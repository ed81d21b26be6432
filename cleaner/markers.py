"""The marker a plugin puts on its hook functions: ``@cleaner.hookimpl``."""

import pluggy

from cleaner.hookspecs import PROJECT

hookimpl = pluggy.HookimplMarker(PROJECT)
