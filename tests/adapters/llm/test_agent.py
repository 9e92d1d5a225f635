"""The LangChain tool-calling loop, driven by LangChain's own fake chat models (no model, no network)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.exceptions import ModelTimeoutError
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolCallChunk,
    ToolMessage,
)
from langchain_core.outputs import ChatGenerationChunk
from pydantic import BaseModel, Field

from assistant.adapters.llm import LangChainModel, LanguageModelError, to_langchain_tool
from assistant.core.dialogue.ports import (
    ChatTurn,
    Final,
    LanguageModel,
    LLMEvent,
    Token,
    ToolCalled,
    ToolResult,
    ToolSpec,
)
from assistant.core.errors import NotFoundError
from tests.fakes import ListModel

SYSTEM = "You phrase Stackwise results."


class LookupArgs(BaseModel):
    skill: str = Field(min_length=1, description="A skill name.")
    limit: int = Field(default=3, ge=1, le=10)


class RecordingTool:
    """A ToolSpec whose run records the args_model instances it received."""

    def __init__(self, name: str = "lookup_skill", fail: Exception | None = None) -> None:
        self.received: list[BaseModel] = []
        self.fail = fail
        self.spec = ToolSpec(name=name, description="Look up a skill.", args_model=LookupArgs, run=self.run)

    def run(self, args: BaseModel) -> ToolResult:
        self.received.append(args)
        if self.fail is not None:
            raise self.fail
        assert isinstance(args, LookupArgs)
        return ToolResult(text=f"{args.skill}: 2 credentials teach it", credential_ids=frozenset({"cred-1"}))


class StreamingModel(ListModel):
    """Like ListModel, but streams: text word by word, then tool calls as chunks, like a real provider."""

    chunks_sent: int = 0
    fail_with: Exception | None = None

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        if self.fail_with is not None:
            raise self.fail_with
        reply = self._generate(messages, stop, run_manager, **kwargs).generations[0].message
        assert isinstance(reply, AIMessage)
        for word in re.split(r"(\s)", str(reply.content)):
            if word:
                self.chunks_sent += 1
                yield ChatGenerationChunk(message=AIMessageChunk(content=word))
        if reply.tool_calls:
            import json

            chunks = [
                ToolCallChunk(name=call["name"], args=json.dumps(call["args"]), id=call["id"], index=i)
                for i, call in enumerate(reply.tool_calls)
            ]
            self.chunks_sent += 1
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=chunks))


def call(name: str, args: dict[str, Any], call_id: str | None = "c1", content: str = "") -> AIMessage:
    return AIMessage(content=content, tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}])


def run_all(
    model: LanguageModel,
    user: str = "What about Python?",
    tools: Sequence[ToolSpec] = (),
    history: Sequence[ChatTurn] = (),
) -> list[LLMEvent]:
    return list(model.converse(SYSTEM, history, user, tools))


def tokens_of(events: list[LLMEvent]) -> str:
    return "".join(event.text for event in events if isinstance(event, Token))


def final_of(events: list[LLMEvent]) -> Final:
    assert isinstance(events[-1], Final)
    assert sum(isinstance(event, Final) for event in events) == 1
    return events[-1]


def tool_messages(messages: list[BaseMessage]) -> list[ToolMessage]:
    return [message for message in messages if isinstance(message, ToolMessage)]


@pytest.mark.parametrize("model_class", [ListModel, StreamingModel])
def test_tool_call_then_answer(model_class: type[ListModel]) -> None:
    fake = model_class(
        responses=[call("lookup_skill", {"skill": "Python"}), AIMessage("Two credentials teach Python.")]
    )
    tool = RecordingTool()
    events = run_all(LangChainModel(fake), tools=[tool.spec])

    called = [event for event in events if isinstance(event, ToolCalled)]
    assert len(called) == 1
    assert called[0].name == "lookup_skill"
    assert called[0].args == {"skill": "Python", "limit": 3}  # validated, defaults filled in
    assert called[0].result.credential_ids == frozenset({"cred-1"})
    assert tool.received == [LookupArgs(skill="Python", limit=3)]
    assert isinstance(tool.received[0], LookupArgs)

    final = final_of(events)
    assert final.text == "Two credentials teach Python."
    assert tokens_of(events) == final.text
    assert final.tool_calls == (called[0],)
    assert events.index(called[0]) < min(i for i, e in enumerate(events) if isinstance(e, Token))

    # The second request carries the model's call and the tool's answer, matched by id; tools were bound both times.
    second = fake.seen[1]
    assert isinstance(second[-2], AIMessage)
    assert second[-2].tool_calls[0]["id"] == "c1"
    assert tool_messages(second) == [second[-1]]
    assert isinstance(second[-1], ToolMessage)
    assert second[-1].content == "Python: 2 credentials teach it"
    assert second[-1].tool_call_id == "c1"
    assert fake.tools_seen == [["lookup_skill"], ["lookup_skill"]]


def test_invalid_arguments_are_explained_to_the_model() -> None:
    fake = StreamingModel(
        responses=[call("lookup_skill", {"skill": "", "limit": "many"}), AIMessage("Sorry, I could not look it up.")]
    )
    tool = RecordingTool()
    events = run_all(LangChainModel(fake), tools=[tool.spec])

    assert not any(isinstance(event, ToolCalled) for event in events)
    assert tool.received == []
    (message,) = tool_messages(fake.seen[1])
    assert message.status == "error"
    assert "lookup_skill" in str(message.content)
    assert "skill:" in str(message.content) and "limit:" in str(message.content)
    assert final_of(events).text == "Sorry, I could not look it up."
    assert final_of(events).tool_calls == ()


def test_unknown_tool_is_told_to_the_model() -> None:
    fake = StreamingModel(responses=[call("find_jobs", {"q": "x"}), AIMessage("I can only look up skills.")])
    tool = RecordingTool()
    events = run_all(LangChainModel(fake), tools=[tool.spec])

    (message,) = tool_messages(fake.seen[1])
    assert "no tool named 'find_jobs'" in str(message.content)
    assert "lookup_skill" in str(message.content)  # the tools it may use instead
    assert not any(isinstance(event, ToolCalled) for event in events)
    assert final_of(events).text == "I can only look up skills."


def test_arguments_that_are_not_json_are_told_to_the_model() -> None:
    broken = AIMessage(
        content="",
        invalid_tool_calls=[
            {
                "name": "lookup_skill",
                "args": "{skill: Python",
                "id": None,
                "error": "bad JSON",
                "type": "invalid_tool_call",
            }
        ],
    )
    fake = ListModel(responses=[broken, AIMessage("Done.")])
    tool = RecordingTool()
    events = run_all(LangChainModel(fake), tools=[tool.spec])

    replayed = fake.seen[1][-2]
    (message,) = tool_messages(fake.seen[1])
    assert isinstance(replayed, AIMessage)
    assert replayed.invalid_tool_calls[0]["id"] == message.tool_call_id  # an id was made up and used for both
    assert "not a JSON object" in str(message.content)
    assert tool.received == []
    assert final_of(events).text == "Done."


def test_missing_call_ids_are_filled_in_consistently() -> None:
    fake = ListModel(responses=[call("lookup_skill", {"skill": "SQL"}, call_id=None), AIMessage("SQL it is.")])
    run_all(LangChainModel(fake), tools=[RecordingTool().spec])

    replayed, message = fake.seen[1][-2], fake.seen[1][-1]
    assert isinstance(replayed, AIMessage) and isinstance(message, ToolMessage)
    assert replayed.tool_calls[0]["id"] == message.tool_call_id == "call_0_0"


def test_a_tool_that_raises_a_stackwise_error_is_explained_to_the_model() -> None:
    fake = ListModel(responses=[call("lookup_skill", {"skill": "Cobol"}), AIMessage("I found nothing on Cobol.")])
    tool = RecordingTool(fail=NotFoundError("no skill named 'Cobol'"))
    events = run_all(LangChainModel(fake), tools=[tool.spec])

    (message,) = tool_messages(fake.seen[1])
    assert message.status == "error"
    assert "no skill named 'Cobol'" in str(message.content)
    assert final_of(events).text == "I found nothing on Cobol."


def test_no_tools_binds_nothing_and_answers() -> None:
    fake = StreamingModel(responses=[AIMessage("Python is a programming language.")])
    events = run_all(LangChainModel(fake))

    assert fake.tools_seen == [None]
    assert [type(event) for event in events[-2:]] == [Token, Final]
    assert tokens_of(events) == final_of(events).text == "Python is a programming language."


def test_a_model_without_tool_calling_converses_without_tools() -> None:
    # GenericFakeChatModel keeps BaseChatModel.bind_tools, which raises NotImplementedError.
    fake = GenericFakeChatModel(messages=iter([AIMessage("No tools here, but an answer.")]))
    events = run_all(LangChainModel(fake), tools=[RecordingTool().spec])

    assert tokens_of(events) == final_of(events).text == "No tools here, but an answer."
    assert sum(isinstance(event, Token) for event in events) > 1  # GenericFakeChatModel streams word by word


def test_the_final_answer_streams_as_it_is_generated() -> None:
    fake = StreamingModel(responses=[AIMessage("One two three four.")])
    events = LangChainModel(fake).converse(SYSTEM, [], "Count.", [])

    first = next(events)
    assert first == Token("One")
    assert fake.chunks_sent == 1  # the first token reached us before the model produced the rest
    rest = list(events)
    assert [event.text for event in rest if isinstance(event, Token)] == [" ", "two", " ", "three", " ", "four."]
    assert final_of(rest).text == "One two three four."


def test_text_before_a_tool_call_streams_and_stays_in_the_final_text() -> None:
    fake = StreamingModel(
        responses=[call("lookup_skill", {"skill": "Python"}, content="Let me check."), AIMessage("Two teach it.")]
    )
    events = run_all(LangChainModel(fake), tools=[RecordingTool().spec])

    final = final_of(events)
    assert final.text == "Let me check.\n\nTwo teach it."
    assert tokens_of(events) == final.text


def test_history_is_replayed_in_order_between_system_and_user() -> None:
    fake = ListModel(responses=[AIMessage("Yes.")])
    history = [
        ChatTurn(role="user", text="I know SQL."),
        ChatTurn(role="assistant", text="Noted: SQL."),
        ChatTurn(role="user", text="And Excel."),
        ChatTurn(role="assistant", text="Noted: Excel."),
    ]
    run_all(LangChainModel(fake), user="Is that enough?", history=history)

    (seen,) = fake.seen
    assert [(type(message), message.content) for message in seen] == [
        (SystemMessage, SYSTEM),
        (HumanMessage, "I know SQL."),
        (AIMessage, "Noted: SQL."),
        (HumanMessage, "And Excel."),
        (AIMessage, "Noted: Excel."),
        (HumanMessage, "Is that enough?"),
    ]


def test_max_rounds_exceeded_without_an_answer_is_an_error() -> None:
    fake = StreamingModel(responses=[call("lookup_skill", {"skill": "Python"})])  # cycles: always calls the tool
    tool = RecordingTool()
    events: list[LLMEvent] = []
    with pytest.raises(LanguageModelError, match="gave no answer after using all its tool rounds"):
        events.extend(LangChainModel(fake, max_tool_rounds=4).converse(SYSTEM, [], "Python?", [tool.spec]))

    assert sum(isinstance(event, ToolCalled) for event in events) == 4
    assert len(tool.received) == 4
    assert fake.tools_seen == [["lookup_skill"]] * 4 + [None]  # the last request offers no tools


def test_the_round_after_the_last_tool_round_must_answer_without_tools() -> None:
    responses = [call("lookup_skill", {"skill": "Python"}), call("lookup_skill", {"skill": "SQL"}), AIMessage("Both.")]
    fake = StreamingModel(responses=responses)
    events = run_all(LangChainModel(fake, max_tool_rounds=2), tools=[RecordingTool().spec])

    final = final_of(events)
    assert final.text == "Both."
    assert [called.args["skill"] for called in final.tool_calls] == ["Python", "SQL"]
    assert fake.tools_seen == [["lookup_skill"], ["lookup_skill"], None]


def test_model_failures_become_a_plain_language_model_error() -> None:
    fake = StreamingModel(responses=[AIMessage("unused")], fail_with=ModelTimeoutError("read timed out"))
    with pytest.raises(LanguageModelError, match="did not answer in time") as caught:
        run_all(LangChainModel(fake, name="test-model"))
    assert "test-model" in str(caught.value)
    assert isinstance(caught.value.__cause__, ModelTimeoutError)

    fake = StreamingModel(responses=[AIMessage("unused")], fail_with=ConnectionError("refused"))
    with pytest.raises(LanguageModelError, match="could not be reached"):
        run_all(LangChainModel(fake))

    fake = StreamingModel(responses=[AIMessage("unused")], fail_with=RuntimeError("model 'x' not found"))
    with pytest.raises(LanguageModelError, match="failed: model 'x' not found"):
        run_all(LangChainModel(fake))


def test_an_empty_answer_is_an_error() -> None:
    with pytest.raises(LanguageModelError, match=r"gave no answer$"):
        run_all(LangChainModel(StreamingModel(responses=[AIMessage("  ")])))


def test_the_langchain_tool_validates_and_returns_the_result_text() -> None:
    tool = RecordingTool()
    lc_tool = to_langchain_tool(tool.spec)

    assert lc_tool.name == "lookup_skill"
    assert lc_tool.args_schema is LookupArgs
    assert lc_tool.invoke({"skill": "Go"}) == "Go: 2 credentials teach it"
    assert tool.received == [LookupArgs(skill="Go")]


def test_it_is_a_language_model() -> None:
    model = LangChainModel(ListModel(responses=[AIMessage("x")]))
    assert isinstance(model, LanguageModel)
    assert model.name == "fake-messages-list-chat-model"
    with pytest.raises(ValueError, match="max_tool_rounds"):
        LangChainModel(ListModel(responses=[AIMessage("x")]), max_tool_rounds=-1)
