"""cleaner: strip boilerplate from web pages and keep the article.

>>> from cleaner import clean
>>> result = clean(page_text)            # doctest: +SKIP
>>> print(result.text)                   # doctest: +SKIP

Build a :class:`Cleaner` once to clean many pages with the same options.
"""

from cleaner.engine import Cleaner, clean
from cleaner.errors import CleanerError, ConfigError, InputError, PageTimeout, PluginError
from cleaner.manager import PluginInfo, builtin_plugins
from cleaner.markers import hookimpl
from cleaner.model import (
    Block,
    Category,
    Decision,
    Document,
    Evidence,
    Extraction,
    ExtractOptions,
    Kind,
    Removal,
    Result,
    Role,
    Strength,
    Structure,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "Block",
    "Category",
    "Cleaner",
    "CleanerError",
    "ConfigError",
    "Decision",
    "Document",
    "Evidence",
    "ExtractOptions",
    "Extraction",
    "InputError",
    "Kind",
    "PageTimeout",
    "PluginError",
    "PluginInfo",
    "Removal",
    "Result",
    "Role",
    "Strength",
    "Structure",
    "Verdict",
    "__version__",
    "builtin_plugins",
    "clean",
    "hookimpl",
]
