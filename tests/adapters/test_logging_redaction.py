"""Log output never carries a learner's e-mail address or phone number, however it is logged."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from assistant.adapters.logging_redaction import DEFAULT_LOGGERS, RedactingFilter, install_redaction

EMAIL = "sam.rivera+cv@example.com"
PHONE = "(555) 014-2231"


@pytest.fixture
def stream_logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A private logger writing through a formatter to a string, with the filter on its handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("stackwise.test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_message_and_arguments_are_redacted(stream_logger: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = stream_logger
    logger.info("upload from %s, call %s", EMAIL, PHONE)
    logger.warning("learner %(email)s asked to be called", {"email": EMAIL})
    logger.error(f"plain f-string with {EMAIL} and {PHONE}")
    output = stream.getvalue()
    assert EMAIL not in output and PHONE not in output
    assert "upload from [email], call [phone]" in output
    assert "learner [email] asked to be called" in output


def test_exception_text_is_redacted(stream_logger: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = stream_logger
    try:
        raise ValueError(f"could not read résumé of {EMAIL}, tel {PHONE}")
    except ValueError:
        logger.exception("parse failed")
    output = stream.getvalue()
    assert "Traceback" in output and "ValueError: [message withheld, " in output
    assert EMAIL not in output and PHONE not in output


def test_exception_messages_are_withheld_from_tracebacks_chains_included(
    stream_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    """Free text (a résumé line, a chat message) has no pattern to redact: the message goes, the frames stay."""
    logger, stream = stream_logger
    line = "Led a team of 12 nurses at St Mary's ward 4B"
    try:
        try:
            int(line)
        except ValueError as inner:
            raise RuntimeError(f"could not parse {line!r}") from inner
    except RuntimeError:
        logger.exception("parse failed")
    output = stream.getvalue()
    assert "nurses" not in output and "Mary" not in output
    assert "ValueError: [message withheld, " in output and "RuntimeError: [message withheld, " in output
    assert "direct cause of the following exception" in output
    assert output.count("Traceback (most recent call last)") == 2 and "int(line)" in output


def test_stack_info_and_bad_arguments_are_redacted(stream_logger: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = stream_logger
    logger.info("two placeholders %s %s but one argument", EMAIL)  # still logged, still redacted
    logger.info("with stack for %s", EMAIL, stack_info=True)
    output = stream.getvalue()
    assert EMAIL not in output
    assert "two placeholders" in output and "Stack (most recent call last)" in output


def test_records_are_kept_and_redacted_once() -> None:
    redacting = RedactingFilter()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "mail %s", (EMAIL,), None)
    assert redacting.filter(record) and redacting.filter(record)
    assert (record.getMessage(), record.args) == ("mail [email]", None)


def test_uvicorn_access_records_keep_their_argument_shape() -> None:
    """uvicorn's AccessFormatter unpacks five arguments; the path in them is redacted, the shape kept."""
    from uvicorn.logging import AccessFormatter

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/profile?email={EMAIL}", "1.1", 200), None,
    )  # fmt: skip
    RedactingFilter().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(record)
    assert line == '127.0.0.1:5000 - "GET /profile?email=[email] HTTP/1.1" 200 OK'


def test_install_covers_root_and_named_handlers(caplog: pytest.LogCaptureFixture) -> None:
    named = logging.getLogger("uvicorn.error")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    named.addHandler(handler)
    root = logging.getLogger()
    try:
        install_redaction()
        install_redaction()  # a second call adds nothing twice
        assert sum(isinstance(f, RedactingFilter) for f in caplog.handler.filters) == 1
        assert any(isinstance(f, RedactingFilter) for f in handler.filters)
        with caplog.at_level(logging.INFO):
            logging.getLogger("stackwise.dialogue").info("learner %s, phone %s", EMAIL, PHONE)
            logging.getLogger("assistant.adapters.llm").warning("prompt held %s", PHONE)
            named.error("client %s", EMAIL)
        assert EMAIL not in caplog.text and PHONE not in caplog.text
        assert EMAIL not in stream.getvalue() and "client [email]" in stream.getvalue()
        assert [r.getMessage() for r in caplog.records][:2] == ["learner [email], phone [phone]", "prompt held [phone]"]
    finally:
        named.removeHandler(handler)
        targets: list[logging.Filterer] = [logging.getLogger(name) for name in DEFAULT_LOGGERS]
        for target in [*targets, *root.handlers]:
            for existing in [f for f in target.filters if isinstance(f, RedactingFilter)]:
                target.removeFilter(existing)
