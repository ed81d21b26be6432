"""The library's public API: the names modules import, results as data, the Cleaner's lifecycle."""

from __future__ import annotations

import importlib

import pytest


# every name imported from cleaner.model somewhere in the project before the logs moved out
MODEL_NAMES = [
    "Block", "Category", "Decision", "DecisionLog", "Document", "Evidence", "Kind", "Removal", "RemovalLog",
    "Result", "Strength", "Verdict", "_BuiltWhenRead", "plain",
]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_names_that_moved_out_of_the_model_are_still_importable_from_it(name):
    model = importlib.import_module("cleaner.model")
    assert getattr(model, name) is not None
    if name in ("DecisionLog", "RemovalLog", "_BuiltWhenRead"):
        assert getattr(model, name) is getattr(importlib.import_module("cleaner.logs"), name)


def test_an_unknown_name_of_the_model_is_an_attribute_error():
    import cleaner.model

    with pytest.raises(AttributeError):
        cleaner.model.NoSuchThing  # noqa: B018 - the attribute access is the test
