"""Templates: a name a page was not given reads as empty (Jinja's default), but a field an object lacks is an
error.

Read models are frozen dataclasses: a field that was not loaded is an AttributeError in Python. Jinja turns an
AttributeError into an empty Undefined, so `{{ place.sesion.title }}` would render nothing. Here it fails
loudly, as in Python; `is defined` and `|default(...)` still work for the cases that mean to ask. A key not in
a dict still reads as empty.
"""

from collections.abc import Mapping

from jinja2 import Undefined
from jinja2.utils import missing


class LoudUndefined(Undefined):
    __slots__ = ()

    def _is_missing_field(self) -> bool:
        owner = self._undefined_obj
        return owner is not missing and not isinstance(owner, Mapping)

    def _check(self) -> None:
        if self._is_missing_field():
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._check()
        return super().__str__()

    def __iter__(self):
        self._check()
        return super().__iter__()

    def __bool__(self) -> bool:
        self._check()
        return super().__bool__()

    def __len__(self) -> int:
        self._check()
        return super().__len__()

    def __eq__(self, other: object) -> bool:
        self._check()
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        self._check()
        return super().__ne__(other)

    __hash__ = Undefined.__hash__
