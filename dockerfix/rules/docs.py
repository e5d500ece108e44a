"""Render every rule's documentation as one markdown page (``docs/rules.md``).

``python -m dockerfix.rules.docs > docs/rules.md``; a test keeps the page current.
"""

from __future__ import annotations

from dockerfix.rules import RULES


def render() -> str:
    header = "# dockerfix rules\n\nGenerated from the rule modules by `python -m dockerfix.rules.docs`.\n\n"
    table = "| code | name | summary |\n|---|---|---|\n" + "".join(
        f"| [{r.code}](#{r.code.lower()}) | {r.doc.name} | {r.doc.summary} |\n" for r in RULES
    )
    sections = "".join(
        f'\n<a id="{r.code.lower()}"></a>\n\n' + r.doc.markdown().replace("\n## ", "\n### ").replace("# ", "## ", 1)
        for r in RULES
    )
    return header + table + sections


if __name__ == "__main__":
    print(render(), end="")
