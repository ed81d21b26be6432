"""The library's errors: one small hierarchy, so callers catch :class:`CleanerError`.

The library raises; only the command line prints messages and picks exit codes.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(CleanerError):
    """The content cannot be cleaned: not text, undecodable, unreadable, too large."""


class ConfigError(CleanerError):
    """A bad option, an unknown plugin or category, an invalid rules file."""


class PluginError(CleanerError):
    """A plugin failed; the message names the plugin and the stage.

    :ivar plugin: the plugin's name.
    :ivar stage: the hook it failed in.
    """

    def __init__(self, plugin: str, stage: str, message: str) -> None:
        super().__init__(f"plugin {plugin!r} failed in {stage}: {message}")
        self.plugin = plugin
        self.stage = stage


class PageTimeout(CleanerError):
    """Cleaning one page took longer than the time limit.

    :ivar plugin: the plugin that was running when the time ran out, or None (the engine).
    :ivar stage: the hook (or engine stage) it ran out in, or None.
    """

    def __init__(self, message: str, plugin: str | None = None, stage: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.stage = stage
