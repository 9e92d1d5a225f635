"""Goals in everyday words: the phrase inside a sentence, the names jobs go by, and one resolver."""

from assistant.core.goals.phrase import clean_goal, goal_phrase, parse_goal
from assistant.core.goals.resolver import GoalAnswer, GoalOption, GoalResolver, SemanticTitles

__all__ = [
    "GoalAnswer",
    "GoalOption",
    "GoalResolver",
    "SemanticTitles",
    "clean_goal",
    "goal_phrase",
    "parse_goal",
]
