"""Pseudonymous sender ids (bot.sender_ids)."""
from __future__ import annotations

from bot.sender_ids import AddressBook, is_pseudonymous, pseudonymous_id, sender_id_key


def test_the_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("SENDER_ID_KEY", raising=False)
    key = sender_id_key()
    assert (tmp_path / "sender_id_key").stat().st_mode & 0o777 == 0o600
    assert sender_id_key() == key and len(key) >= 32


def test_the_id_is_stable_keyed_and_hides_the_number():
    number = "whatsapp:+31612345678"
    first = pseudonymous_id("twilio", number, key=b"k1")
    assert first == pseudonymous_id("twilio", number, key=b"k1")
    assert first != pseudonymous_id("twilio", number, key=b"k2")
    assert first != pseudonymous_id("telegram", number, key=b"k1")
    assert "612345678" not in first and first.startswith("twilio-")
    assert is_pseudonymous(first) and not is_pseudonymous(number)


def test_the_address_book_forgets(monkeypatch):
    book = AddressBook()
    book.remember("twilio-x", "whatsapp:+31612345678")
    assert book.address("twilio-x") == "whatsapp:+31612345678"
    book.forget("twilio-x")
    assert book.address("twilio-x") is None
    expired = AddressBook(lifetime_seconds=-1)
    expired.remember("twilio-x", "whatsapp:+31612345678")
    assert expired.address("twilio-x") is None
