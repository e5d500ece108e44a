"""``@record`` behaves as ``@dataclass`` does for what dockerfix uses.

Each behaviour case is an expression and its expected value (or exception), evaluated
twice: against classes made with ``dockerfix.record`` and against the same classes made
with ``dataclasses``, so the spec and the parity are checked at once.
"""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from functools import cached_property
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

from dockerfix import record as rec
from dockerfix.record import FrozenInstanceError, field, record


def classes(kind: str) -> SimpleNamespace:
    """The same class bodies, made records or dataclasses."""
    if kind == "record":
        make, field_, replace_ = rec.record, rec.field, rec.replace
    else:
        make, field_, replace_ = dataclasses.dataclass, dataclasses.field, dataclasses.replace

    def decorate(frozen: bool = True, **options: Any) -> Any:
        return make(frozen=frozen, **options)

    @decorate()
    class Point:
        x: int
        y: int = 0
        tags: tuple[str, ...] = field_(default=(), compare=False)
        secret: str = field_(default="s", repr=False)
        unit: ClassVar[str] = "m"

    @decorate()
    class Twin:  # Point's fields, another class
        x: int
        y: int = 0

    @decorate(frozen=False)
    class Bag:
        items: list[int] = field_(default_factory=list)
        count: int = 0

    @decorate(order=True)
    class Version:
        major: int
        minor: int = 0
        label: str = field_(default="", compare=False)

    @decorate(kw_only=True)
    class Site:
        start: int
        reason: str | None = None

    @decorate(kw_only=True)
    class PipSite(Site):
        call: str

    @decorate()
    class Base:
        a: int
        b: int = 1

    @decorate()
    class Child(Base):
        c: int = 2
        a: int = 9  # redefined: keeps its place, gets a default

    @decorate()
    class Text:
        text: str
        lines: list[int] = field_(init=False, repr=False, compare=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "lines", [len(line) for line in self.text.split("\n")])

    @decorate()
    class Custom:
        x: int

        def __repr__(self) -> str:
            return "custom"

    @decorate()
    class Empty:
        pass

    made = (Point, Twin, Bag, Version, Site, PipSite, Base, Child, Text, Custom, Empty)
    return SimpleNamespace(replace=replace_, **{c.__name__: c for c in made})


KINDS = {kind: classes(kind) for kind in ("record", "dataclass")}

CASES = [
    # eq
    pytest.param("Point(1, 2) == Point(1, 2)", True, id="eq-same-fields"),
    pytest.param("Point(1, 2) == Point(1, 3)", False, id="eq-other-field"),
    pytest.param("Point(1, tags=('a',)) == Point(1, tags=('b',))", True, id="eq-ignores-compare-false"),
    pytest.param("Point(1) == Twin(1)", False, id="eq-other-class"),
    pytest.param("Point(1) == (1, 0)", False, id="eq-tuple"),
    pytest.param("Point(1) != Point(2)", True, id="ne"),
    pytest.param("Empty() == Empty()", True, id="eq-no-fields"),
    pytest.param("Bag([1]) == Bag([1])", True, id="eq-mutable"),
    # hash
    pytest.param("hash(Point(1, 2)) == hash(Point(1, 2, ('t',)))", True, id="hash-frozen-equal"),
    pytest.param("len({Point(1), Point(1), Point(2)})", 2, id="hash-set"),
    pytest.param("hash(Bag())", TypeError, id="hash-mutable-unhashable"),
    pytest.param("Bag.__hash__", None, id="hash-mutable-none"),
    pytest.param("hash(Empty()) == hash(Empty())", True, id="hash-no-fields"),
    # repr
    pytest.param("repr(Point(1, 2, ('a',)))", "classes.<locals>.Point(x=1, y=2, tags=('a',))", id="repr-hides-repr-false"),
    pytest.param("repr(Bag([1]))", "classes.<locals>.Bag(items=[1], count=0)", id="repr-mutable"),
    pytest.param("repr(Empty())", "classes.<locals>.Empty()", id="repr-no-fields"),
    pytest.param("repr(Custom(1))", "custom", id="repr-own-kept"),
    # order
    pytest.param("Version(1, 2) < Version(1, 10)", True, id="lt"),
    pytest.param("Version(2) <= Version(2)", True, id="le"),
    pytest.param("Version(2) > Version(1, 9)", True, id="gt"),
    pytest.param("Version(1, 0, 'b') >= Version(1, 0, 'a')", True, id="ge-ignores-compare-false"),
    pytest.param("[v.major for v in sorted([Version(3), Version(1), Version(2)])]", [1, 2, 3], id="sorted"),
    pytest.param("Version(1) < Point(1)", TypeError, id="lt-other-class"),
    pytest.param("Point(1) < Point(2)", TypeError, id="no-order-by-default"),
    # frozen
    pytest.param("setattr(Point(1), 'x', 2)", AttributeError, id="frozen-setattr"),
    pytest.param("setattr(Point(1), 'new', 2)", AttributeError, id="frozen-setattr-new-name"),
    pytest.param("delattr(Point(1), 'x')", AttributeError, id="frozen-delattr"),
    pytest.param("(b := Bag(), setattr(b, 'count', 3), b.count)[-1]", 3, id="mutable-setattr"),
    # defaults
    pytest.param("Point(1).y", 0, id="default"),
    pytest.param("Point.y", 0, id="default-is-class-attribute"),
    pytest.param("Bag().items is not Bag().items", True, id="factory-new-each-time"),
    pytest.param("'items' in Bag.__dict__", False, id="factory-no-class-attribute"),
    pytest.param("Bag(count=2).items", [], id="factory-by-keyword-others"),
    pytest.param("Point.unit, 'unit' in Point.__match_args__", ("m", False), id="classvar-not-a-field"),
    pytest.param("Point()", TypeError, id="required-missing"),
    pytest.param("Point(1, 2, (), 's', 5)", TypeError, id="too-many"),
    # kw_only and inheritance
    pytest.param("PipSite(start=1, call='pip')", "classes.<locals>.PipSite(start=1, reason=None, call='pip')", id="kw-only-inherited-first"),
    pytest.param("PipSite(1, call='pip')", TypeError, id="kw-only-no-positional"),
    pytest.param("Child(5, 6)", "classes.<locals>.Child(a=5, b=6, c=2)", id="inherited-fields-first"),
    pytest.param("Child()", "classes.<locals>.Child(a=9, b=1, c=2)", id="redefined-keeps-place"),
    pytest.param("Child.__match_args__", ("a", "b", "c"), id="match-args"),
    pytest.param("PipSite.__match_args__", (), id="match-args-kw-only"),
    # __post_init__ and init=False
    pytest.param("Text('ab\\nc').lines", [2, 1], id="post-init"),
    pytest.param("Text('a', [1])", TypeError, id="init-false-not-a-parameter"),
    pytest.param("Text('a') == Text('a')", True, id="init-false-compare-false"),
    # replace
    pytest.param("replace(Point(1, 2), y=5)", "classes.<locals>.Point(x=1, y=5, tags=())", id="replace"),
    pytest.param("replace(Point(1, secret='k'), x=2).secret", "k", id="replace-keeps-others"),
    pytest.param("replace(Text('a\\nbc'), text='xyz').lines", [3], id="replace-reruns-post-init"),
    pytest.param("replace(PipSite(start=1, call='pip'), call='uv')", "classes.<locals>.PipSite(start=1, reason=None, call='uv')", id="replace-kw-only"),
    pytest.param("replace(Point(1), z=1)", TypeError, id="replace-unknown-field"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("expression", "expected"), CASES)
def test_behaves_as_dataclass(kind: str, expression: str, expected: object) -> None:
    namespace = vars(KINDS[kind])
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected):
            eval(expression, namespace)
        return
    got = eval(expression, namespace)
    assert (repr(got) if isinstance(expected, str) and not isinstance(got, str) else got) == expected


@pytest.mark.parametrize("name", ["Point", "Bag", "PipSite", "Child", "Text", "Empty"])
def test_init_takes_the_dataclass_parameters(name: str) -> None:
    """``__init__`` is compiled on the first call: before it, and after, calls see the same."""
    import inspect

    made, expected = getattr(KINDS["record"], name), getattr(KINDS["dataclass"], name)
    kwargs = {"x": 1, "start": 0, "call": "pip", "text": ""}
    made(**{k: v for k, v in kwargs.items() if k in inspect.signature(expected).parameters})

    def shape(cls: type) -> list[tuple[str, object, bool]]:
        parameters = inspect.signature(cls).parameters.values()
        return [(p.name, p.kind, p.default is p.empty) for p in parameters]

    assert shape(made) == shape(expected)


def test_frozen_error_is_an_attribute_error() -> None:
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
        KINDS["record"].Point(1).x = 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("a: int = 0\n    b: int", "non-default argument 'b' follows default argument", id="required-after-default"),
        pytest.param("a: int = field(default=1, default_factory=list)", "cannot specify both", id="default-and-factory"),
    ],
)
def test_bad_definitions_fail_as_dataclass_does(body: str, message: str) -> None:
    source = f"@record\nclass Bad:\n    {body}\n"
    with pytest.raises((TypeError, ValueError), match=message):
        exec(source, {"record": record, "field": field})


# -- pickling and cached_property need classes importable by name ------------------------------


@record(order=True)
class Finding:
    code: str
    start: int
    notes: tuple[str, ...] = ()


@record(frozen=False)
class Result:
    path: str
    findings: list[Finding] = field(default_factory=list)


@record
class Globbed:
    patterns: tuple[str, ...]

    @cached_property
    def joined(self) -> str:
        return "|".join(self.patterns)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(Finding("DFX001", 3, ("n",)), id="frozen"),
        pytest.param(Result("Dockerfile", [Finding("DFX002", 1)]), id="mutable-nesting-frozen"),
    ],
)
def test_pickle_round_trip(value: object) -> None:
    copy = pickle.loads(pickle.dumps(value))
    assert copy == value and copy is not value


def test_unpickled_frozen_stays_frozen() -> None:
    copy = pickle.loads(pickle.dumps(Finding("DFX001", 3)))
    with pytest.raises(FrozenInstanceError):
        copy.start = 4  # type: ignore[misc]


def test_cached_property_on_a_frozen_record() -> None:
    globbed = Globbed(("a", "b"))
    assert globbed.joined == "a|b"
    assert globbed.__dict__["joined"] == "a|b"  # cached in the instance, past __setattr__
    assert globbed == Globbed(("a", "b"))  # the cache is not a field


def test_no_runtime_import_of_typing_dataclasses_inspect() -> None:
    """record.py exists to keep these out of start-up; neither may the core pull them in."""
    code = (
        "import sys, dockerfix.record, dockerfix.core, dockerfix.runner, dockerfix.bulk, dockerfix.config;"
        "print(' '.join(m for m in ('dataclasses', 'inspect') if m in sys.modules))"
    )
    assert _run(code).split() == []
    assert _run("import sys, dockerfix.record; print('typing' in sys.modules)").strip() == "False"


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


# -- precompiled __init__s ---------------------------------------------------------------


def test_precompiled_inits_are_current() -> None:
    from pathlib import Path

    from dockerfix.precompile import render

    module = Path(rec.__file__).with_name("_record_inits.py")
    assert module.read_text(encoding="utf-8") == render(), "run: python -m dockerfix.precompile > dockerfix/_record_inits.py"


def test_package_records_take_their_precompiled_init() -> None:
    from dockerfix.precompile import records

    for cls in records():
        init, namespace = rec.init_source(cls, cls.__record_fields__, cls.__record_frozen__)
        factory = rec._precompiled()[init]
        assert factory.__code__.co_filename.endswith("_record_inits.py"), cls
        assert sorted(factory.__code__.co_varnames[: factory.__code__.co_argcount]) == sorted(namespace), cls


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("a: int\n    b: int = 2", id="default"),
        pytest.param("a: int\n    b: list = field(default_factory=list)", id="factory"),
        pytest.param("a: int\n    b: int = field(default=3, init=False)", id="not-init"),
    ],
)
def test_precompiled_init_is_the_compiled_one(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An __init__ found in the table behaves as the one compiled from the same source."""
    namespace: dict[str, Any] = {"record": record, "field": field}
    exec(f"@record\nclass Compiled:\n    {body}\n", namespace)
    exec(f"@record\nclass Precompiled:\n    {body}\n", namespace)
    compiled, precompiled = namespace["Compiled"], namespace["Precompiled"]
    source, names = rec.init_source(precompiled, precompiled.__record_fields__, True)
    factory = _factory(source, names)
    used: list[str] = []
    monkeypatch.setattr(rec, "_PRECOMPILED", {source: lambda **kw: used.append(source) or factory(**kw)})
    made = precompiled(1)
    assert used == [source]
    assert made.__dict__ == compiled(1).__dict__
    with pytest.raises(TypeError):
        precompiled()


def _factory(source: str, names: dict[str, Any]) -> Any:
    """What dockerfix.precompile writes for ``source``, compiled here."""
    from dockerfix.precompile import factory_source

    scope: dict[str, Any] = {}
    exec(factory_source("factory", sorted(names), source), scope)
    return scope["factory"]
