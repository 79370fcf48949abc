"""What the condition and action catalogues share: typed parameters a coordinator fills in
the definition editor. Code, not data, decides what a condition or an action does (river's
`exec()` of stored code is what we avoid); the editor only picks entries and sets values."""

from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from wagtail import blocks

ParamKind = Literal["int", "str", "bool"]


@dataclass(frozen=True)
class Param:
    name: str
    label: Promise | str
    kind: ParamKind
    required: bool = True
    default: Any = None
    min_value: int | None = None
    help_text: Promise | str = ""

    def block(self) -> blocks.Block:
        if self.kind == "int":
            return blocks.IntegerBlock(
                label=self.label,
                required=self.required,
                default=self.default,
                min_value=self.min_value,
                help_text=self.help_text,
            )
        if self.kind == "bool":
            return blocks.BooleanBlock(
                label=self.label, required=False, default=self.default, help_text=self.help_text
            )
        return blocks.CharBlock(
            label=self.label,
            required=self.required,
            default=self.default or "",
            max_length=100,
            help_text=self.help_text,
        )

    def coerce(self, value: Any) -> Any:
        if value in (None, ""):
            return self.default
        if self.kind == "int":
            return int(value)
        if self.kind == "bool":
            return bool(value)
        return str(value)


def struct_for(label: Promise | str, params: tuple[Param, ...]) -> blocks.StructBlock:
    """One StructBlock per catalogue entry, so each parameter has its own typed input."""
    return blocks.StructBlock([(param.name, param.block()) for param in params], label=label)


def coerce_params(params: tuple[Param, ...], raw: dict[str, Any]) -> dict[str, Any]:
    return {param.name: param.coerce(raw.get(param.name)) for param in params}
