"""Shared base for domain records: immutable, strict about unknown fields."""

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """A frozen value object; unknown fields are an error so typos in data files surface."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
