"""Every teaching model says where its idea comes from and what it assumes.

The issue behind these models asked that each docstring state the idea, its source
(a key of ``data/sources.csv``) and each assumption, so a reader can check the model
against the literature. A key that is misspelt or missing from the registry fails here.
"""

import importlib
import re

import pytest

from defection import data

MODELS = ["cascade", "spoils", "calculus", "absorption", "scenario"]
KEY = re.compile(r"``([a-z][a-z0-9_]*_(?:19|20)\d\d[a-z0-9_]*)``")


@pytest.fixture(scope="module")
def known_keys():
    return set(data.load("sources")["source_id"].astype(str))


@pytest.mark.parametrize("name", MODELS)
def test_docstring_names_registered_sources(name, known_keys):
    doc = importlib.import_module(f"defection.models.{name}").__doc__ or ""
    keys = set(KEY.findall(doc))
    assert keys, f"defection.models.{name} names no source key in its docstring"
    assert keys <= known_keys, f"unknown source keys in {name}: {sorted(keys - known_keys)}"


@pytest.mark.parametrize("name", MODELS)
def test_docstring_states_its_assumptions_and_that_it_forecasts_nothing(name):
    doc = importlib.import_module(f"defection.models.{name}").__doc__ or ""
    assert re.search(r"assum", doc, re.I), f"{name}: no assumptions stated"
    assert re.search(r"forecasts nothing|invented", doc), f"{name}: no statement of its limits"
