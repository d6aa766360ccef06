"""The model's typed accessors read what the record says, with the types the stages need."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from site_builder.model import Money, Record


def award(**data: object) -> Record:
    return Record("award", "AW-1", "records/awards/AW-1.yaml", MappingProxyType({"id": "AW-1", **data}), b"")


def test_accessors_of_an_award() -> None:
    rec = award(buyer="council", suppliers=("acme", "bravo"), tender="T-1", date="2025-01-31",
                value=MappingProxyType({"amount": 980000, "currency": "GBP"}))
    assert rec.buyer_id == "council"
    assert rec.supplier_ids == ("acme", "bravo")
    assert rec.tender_id == "T-1"
    assert rec.money == Money(980000, "GBP")
    assert isinstance(rec.money.amount, int)  # as written: the feeds print 980,000, not 980,000.0
    assert rec.date_of("date") == date(2025, 1, 31)
    assert rec.date_of("date") is rec.date_of("date")  # parsed once


def test_accessors_when_the_fields_are_absent() -> None:
    rec = award()
    assert (rec.buyer_id, rec.supplier_ids, rec.tender_id, rec.money, rec.date_of("published")) == (
        None, (), None, None, None)
