"""Serializer fields the workflow API's responses need beyond DRF's own."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class IsoDateTimeField(serializers.DateTimeField):
    """A moment as stored (UTC, `+00:00`), as the API has always written it: DRF's own field
    would move it to the server's time zone and write `Z` for UTC."""

    def to_representation(self, value) -> str:
        # Never called with None: the serializer writes null for an empty attribute itself.
        return value.isoformat()


class SortedStringsField(serializers.ListField):
    """A set of strings as a sorted list: the same order on every call."""

    child = serializers.CharField()

    def to_representation(self, data) -> list:
        return super().to_representation(sorted(data))


class Computed:
    """A field whose value the serializer's `get_<field name>(obj)` computes, as with
    SerializerMethodField, but which keeps its own type in the schema and is not marked
    read-only: the response serializers document the responses they write."""

    def get_attribute(self, instance) -> Any:
        field: Any = self  # a mixin: the DRF field it completes has `parent` and `field_name`
        return getattr(field.parent, f"get_{field.field_name}")(instance)


class ComputedBooleanField(Computed, serializers.BooleanField):
    pass


class ComputedCharField(Computed, serializers.CharField):
    pass


class ComputedDictField(Computed, serializers.DictField):
    pass


class ComputedListField(Computed, serializers.ListField):
    pass


class ComputedListSerializer(Computed, serializers.ListSerializer):
    pass
