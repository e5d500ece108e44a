"""``@record``: the part of ``@dataclass`` dockerfix uses, at a fraction of its start-up cost.

``dataclass()`` writes ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``
and ``__delattr__`` as source text and compiles each with ``exec`` for every class, on every
run (nothing of it lands in a ``.pyc``): ~0.8 ms a frozen class, ~30 ms for the classes a
one-file run defines, plus ~25 ms to import ``dataclasses`` itself (``inspect``, ``ast``,
``dis``, ``tokenize``...). A record compiles only its ``__init__``, when the class is first
called; the other methods are the shared functions below, which read the field names the
decorator stores on the class.

What a record is, as a dataclass would be with the same arguments:

- fields are the class's annotations in order (``ClassVar[...]`` ones left out), after the
  fields of record bases; a field redefined in a subclass keeps its place;
- ``__init__`` takes them positionally (keyword-only with ``kw_only=True``), fills defaults
  and ``field(default_factory=...)``, leaves out ``field(init=False)`` ones, then calls
  ``__post_init__`` if the class has one;
- frozen unless ``record(frozen=False)``: assigning or deleting an attribute raises
  :class:`FrozenInstanceError` (an ``AttributeError``); ``__post_init__`` sets what it must
  with ``object.__setattr__``, and ``functools.cached_property`` works (it writes the
  instance ``__dict__``);
- ``==`` between instances of the same class compares the ``compare`` fields as a tuple;
  frozen records hash that tuple, mutable ones are unhashable; ``order=True`` adds ``<``,
  ``<=``, ``>``, ``>=`` (same class only); ``repr`` shows the ``repr`` fields;
- a method the class body defines itself (``__init__``, ``__repr__``, ``__eq__``,
  ``__hash__``) is kept, as dataclass keeps it.

Not supported, because dockerfix does not use them: ``InitVar``, ``slots``, ``weakref_slot``,
``unsafe_hash``, ``eq=False``, ``match_args=False``, ``fields()``/``asdict()``, a field's
``hash``/``kw_only``/``metadata``, and the guard against a repr of a record containing itself.
Instances pickle as any plain object does (the class and its ``__dict__``).

Type checkers see ``record`` through :pep:`681` ``dataclass_transform``, imported only when
type checking: at run time this module imports only ``operator``, which ``re`` has loaded.
"""

from __future__ import annotations

from operator import attrgetter  # loaded anyway: collections imports it, re and functools that

TYPE_CHECKING = False  # typing's own constant, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, TypeVar, dataclass_transform

    _T = TypeVar("_T")
else:

    def dataclass_transform(**_: object) -> Callable[[_T], _T]:
        """Only type checkers read it."""
        return lambda function: function


__all__ = ["FrozenInstanceError", "field", "record", "replace"]


class FrozenInstanceError(AttributeError):
    """Assignment to, or deletion of, an attribute of a frozen record."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # no default (``None`` is a default like any other)


class Field:
    """One field of a record: what ``field()`` says about it, and its name once known."""

    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare", "kw_only")

    def __init__(
        self,
        default: Any,
        default_factory: Callable[[], Any] | None,
        init: bool,
        repr: bool,
        compare: bool,
    ) -> None:
        if default is not MISSING and default_factory is not None:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.kw_only = False


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | None = None,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field with more to say than a plain default, as ``dataclasses.field``."""
    return Field(default, default_factory, init, repr, compare)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T] | None = None, /, *, frozen: bool = True, order: bool = False, kw_only: bool = False) -> Any:
    """Make ``cls`` a record: ``@record``, or ``@record(frozen=False, order=True, kw_only=True)``."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _process(cls, frozen, order, kw_only)

    return wrap if cls is None else wrap(cls)


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record ``obj`` with ``changes``, made by its ``__init__`` (as
    ``dataclasses.replace``: ``__post_init__`` runs again, ``init=False`` fields are rebuilt)."""
    for name in obj.__record_init__:  # type: ignore[attr-defined]
        if name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)


# -- making the class ------------------------------------------------------------------------


def _process(cls: type[_T], frozen: bool, order: bool, kw_only: bool) -> type[_T]:
    fields = _fields(cls, frozen, kw_only)
    setattr(cls, "__record_fields__", fields)
    setattr(cls, "__record_frozen__", frozen)
    setattr(cls, "__record_init__", tuple(f.name for f in fields if f.init))
    setattr(cls, "__record_key__", staticmethod(_getter([f.name for f in fields if f.compare])))
    setattr(cls, "__record_repr__", tuple(f.name for f in fields if f.repr))
    own = cls.__dict__
    # Methods the class body defines are kept; a class body defining ``__eq__`` only has
    # ``__hash__ = None`` put there by Python, which does not count as defining it.
    keep = {name for name in own if name.startswith("__")}
    if own.get("__hash__", MISSING) is None and "__eq__" in own:
        keep.discard("__hash__")
    methods: dict[str, Any] = {
        "__init__": _compile_on_first_call(cls, fields, frozen),
        "__repr__": _repr,
        "__eq__": _eq,
        "__hash__": _hash if frozen else None,  # a mutable record is unhashable
        "__match_args__": tuple(f.name for f in fields if f.init and not f.kw_only),
    }
    if frozen:
        methods.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    if order:
        methods.update(__lt__=_lt, __le__=_le, __gt__=_gt, __ge__=_ge)
    for name, method in methods.items():
        if name not in keep:
            setattr(cls, name, method)
    return cls


def _fields(cls: type, frozen: bool, kw_only: bool) -> tuple[Field, ...]:
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        if "__record_fields__" in base.__dict__:
            if base.__dict__["__record_frozen__"] != frozen:
                raise TypeError(f"{cls.__name__}: a frozen and a mutable record cannot inherit from one another")
            fields.update((f.name, f) for f in base.__dict__["__record_fields__"])
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(value, None, True, True, True)
        f.name = name
        f.kw_only = kw_only
        fields[name] = f
        # The class keeps a plain default as its attribute (an ``init=False`` field reads it
        # from there), as dataclass does; a factory or no default leaves no attribute.
        if isinstance(value, Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    _check_defaults(cls, fields.values())
    return tuple(fields.values())


def _is_classvar(annotation: object) -> bool:
    # Annotations are strings here (``from __future__ import annotations``), as dataclass
    # also recognises them without evaluating them.
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar"))


def _check_defaults(cls: type, fields: Iterable[Field]) -> None:
    seen_default = False
    for f in fields:
        if not f.init or f.kw_only:
            continue
        if f.default is not MISSING or f.default_factory is not None:
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: non-default argument {f.name!r} follows default argument")


def _compile_on_first_call(cls: type, fields: tuple[Field, ...], frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that compiles the real one, puts it in its place and calls it.

    Compiling costs ~0.1 ms a class; a one-file run never makes a third of the records.
    """

    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        init = _init(cls, fields, frozen)
        setattr(cls, "__init__", init)
        init(self, *args, **kwargs)

    return __init__


def _init(cls: type, fields: tuple[Field, ...], frozen: bool) -> Callable[..., None]:
    """``__init__``, the one method whose parameters differ per class.

    Taken precompiled from ``dockerfix/_record_inits.py`` when that module has this exact
    source (compiling costs ~0.1 ms a class, ~4 ms for the ~30 records of a one-file run),
    else compiled here; ``python -m dockerfix.precompile`` writes that module, and a test
    keeps it current, so both ways give the same function.
    """
    source, namespace = init_source(cls, fields, frozen)
    factory = _precompiled().get(source)
    if factory is not None:
        init: Callable[..., None] = factory(**namespace)
    else:
        exec(source, namespace)
        init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def init_source(cls: type, fields: tuple[Field, ...], frozen: bool) -> tuple[str, dict[str, Any]]:
    """The source of ``__init__``, and the names it reads besides its parameters.

    A frozen record writes its instance ``__dict__`` item by item: about twice as fast as
    dataclass's ``object.__setattr__`` per field, and faster than ``__dict__.update(...)``,
    which matters for the classes made tens of thousands of times per file (``shell.Word``,
    ``mapped.Mapped``).
    """
    namespace: dict[str, Any] = {"MISSING": MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = ["d = self.__dict__"] if frozen else []
    for f in fields:
        if f.init:
            if f.default_factory is not None:
                namespace[f"_factory_{f.name}"] = f.default_factory
                parameter = f"{f.name}=MISSING"
                value = f"_factory_{f.name}() if {f.name} is MISSING else {f.name}"
            elif f.default is not MISSING:
                namespace[f"_default_{f.name}"] = f.default
                parameter = f"{f.name}=_default_{f.name}"
                value = f.name
            else:
                parameter = value = f.name
            (keyword if f.kw_only else positional).append(parameter)
        elif f.default_factory is not None:
            namespace[f"_factory_{f.name}"] = f.default_factory
            value = f"_factory_{f.name}()"
        else:
            continue  # read from the class attribute, or set by __post_init__
        body.append(f"d[{f.name!r}] = {value}" if frozen else f"self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({parameters}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    return source, namespace


_PRECOMPILED: dict[str, Callable[..., Callable[..., None]]] | None = None


def _precompiled() -> dict[str, Callable[..., Callable[..., None]]]:
    """``__init__`` source -> a factory taking its namespace as keyword arguments."""
    global _PRECOMPILED
    if _PRECOMPILED is not None:
        return _PRECOMPILED
    table: dict[str, Callable[..., Callable[..., None]]]
    try:
        from dockerfix._record_inits import INITS as table  # type: ignore[assignment]  # untyped, generated
    except ImportError:  # not generated yet (a checkout mid-change): compile them all
        table = {}
    _PRECOMPILED = table
    return table


def _getter(names: list[str]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of ``names``' values, in C for two or more names (``attrgetter``)."""
    if len(names) >= 2:
        getter: Callable[[object], tuple[Any, ...]] = attrgetter(*names)
        return getter
    if names:
        name = names[0]
        return lambda self: (getattr(self, name),)
    return lambda self: ()


# -- the methods every record shares -----------------------------------------------------------
# ``__record_key__`` is a static method of the class: ``self.__record_key__(self)`` gives the
# compared fields as a tuple.


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _lt(self: Any, other: Any) -> bool:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) < key(other)
    return NotImplemented


def _le(self: Any, other: Any) -> bool:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) <= key(other)
    return NotImplemented


def _gt(self: Any, other: Any) -> bool:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) > key(other)
    return NotImplemented


def _ge(self: Any, other: Any) -> bool:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) >= key(other)
    return NotImplemented


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
