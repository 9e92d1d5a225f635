"""The conversation: understanding messages, acting on the core, and replying with grounded text.

engine = DialogueEngine(Advisor(taxonomy, catalog, ...), Guard(catalog, lexicon), classifier=..., llm=None)
state, reply = engine.respond(ConversationState(), "I want to move into data analysis")
"""

from assistant.core.dialogue.advisor import Advisor
from assistant.core.dialogue.engine import DialogueEngine, StreamEvent
from assistant.core.dialogue.guard import Allowed, Guard
from assistant.core.dialogue.intents import Intent, IntentClassifier, understand
from assistant.core.dialogue.ports import ChatTurn, LanguageModel, ToolResult, ToolSpec
from assistant.core.dialogue.state import ComparisonRow, ConversationState, GuardReport, Reply

__all__ = [
    "Advisor",
    "Allowed",
    "ChatTurn",
    "ComparisonRow",
    "ConversationState",
    "DialogueEngine",
    "Guard",
    "GuardReport",
    "Intent",
    "IntentClassifier",
    "LanguageModel",
    "Reply",
    "StreamEvent",
    "ToolResult",
    "ToolSpec",
    "understand",
]
