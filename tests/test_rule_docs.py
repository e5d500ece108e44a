"""Rule documentation is complete and the generated page is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerfix.core import check
from dockerfix.rules import RULES
from dockerfix.rules.docs import render


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_doc_has_every_section(rule):
    doc = rule.doc
    for part in (doc.summary, doc.what, doc.why, doc.example, doc.fix):
        assert part.strip()


@pytest.mark.parametrize("rule", [r for r in RULES if r.code != "DFX000"], ids=lambda r: r.code)
def test_rule_example_triggers_the_rule(rule):
    assert rule.code in [d.code for d in check(rule.doc.example + "\n")]


def test_docs_page_is_current():
    page = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == render(), "run: python -m dockerfix.rules.docs > docs/rules.md"
