"""What the embedded mode does for each intent: one handler per intent of the registry.

Handlers act on a :class:`Turn`: the state as it changes, the parts of the reply as they are written and
what the reply may name. Action handlers (``Shown.ACTION``) run for every action a message carries, in
priority order; view handlers run for the first view intent (:attr:`Understanding.view`). :data:`HANDLERS`
is filled by :func:`handles` and checked against the registry at import, so an intent without a handler, or
a handler for an intent that does not exist, fails at once rather than in a conversation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from assistant.core.advice import OccupationTarget
from assistant.core.advice.view import AdviceView
from assistant.core.dialogue import compose
from assistant.core.dialogue.advisor import Advisor, OccupationFacts
from assistant.core.dialogue.changes import restore
from assistant.core.dialogue.guard import ID_LIKE, Allowed, Guard
from assistant.core.dialogue.intents import REGISTRY, Intent, Shown, Understanding
from assistant.core.dialogue.state import ConversationState
from assistant.core.errors import DocumentError, GoalUnclearError
from assistant.core.formatting import money
from assistant.core.models import RouteObjective

ASK_GOAL = "Which job are you aiming for? For example: “I want to move into data analysis”."


@dataclass
class Turn:
    """One message being answered."""

    advisor: Advisor
    guard: Guard
    state: ConversationState
    understanding: Understanding
    text: str
    parts: list[str] = field(default_factory=list)
    extra: Allowed = field(default_factory=Allowed)
    changed: bool = False  # an action changed the profile, goal or limits
    shown: bool = False  # the reply already shows the advice
    finished: bool = False  # nothing else runs (a reset)

    def say(self, text: str, allowed: Allowed | None = None) -> None:
        self.parts.append(text)
        if allowed is not None:
            self.extra = self.extra.merge(allowed)


Handler = Callable[[Turn], None]
HANDLERS: dict[Intent, Handler] = {}


def handles(intent: Intent) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if intent in HANDLERS:
            raise ValueError(f"two handlers for {intent}")
        HANDLERS[intent] = handler
        return handler

    return register


def shown_allowed(guard: Guard, view: AdviceView) -> Allowed:
    """What a reply composed from ``view`` may name: its credentials, skills, route costs and wage, and the
    sentences the core wrote (route notes, reasons), which may name other credentials."""
    computed = {n for route in view.routes for n in route.notes}
    computed |= {r for card in view.recommendations for r in card.reasons}
    ids = set(view.credential_ids) | {m for line in computed for m in ID_LIKE.findall(line)}
    amounts = {route.total_cost for route in view.routes}
    if view.target.wage_median:
        amounts.add(Decimal(str(view.target.wage_median)))
    verbatim = computed | set(view.target.reasons) | set(view.notes)
    verbatim |= {view.target.label, *view.target.alternatives}  # job titles, not skill claims
    allowed = guard.allowed_for(ids, {row.skill_uri for row in view.skills}, amounts)
    return allowed.merge(Allowed(verbatim=frozenset(verbatim)))


# --- actions -----------------------------------------------------------------------------------------------


@handles(Intent.RESET)
def _reset(turn: Turn) -> None:
    turn.state = ConversationState()
    turn.parts = ["Starting over: I have forgotten your profile, goal and limits."]
    turn.finished = True


@handles(Intent.PASTE_RESUME)
def _paste_resume(turn: Turn) -> None:
    advisor = turn.advisor
    profile = turn.state.profile
    if profile.skills or profile.technologies:
        # a long message over a profile we already have: replacing it is the learner's call, not ours
        turn.state = turn.state.model_copy(update={"pending_resume": turn.text})
        turn.say(compose.resume_choice(len(profile.skills) + len(profile.technologies)))
        return
    try:
        loaded = advisor.load_resume(turn.state, turn.text)
    except DocumentError as error:  # several résumés joined, far too long: said, and nothing changes
        turn.say(error.message)
        return
    turn.state = advisor.refresh(loaded)
    turn.say(compose.resume_read_text(turn.state.profile))
    turn.say(compose.overview(turn.state.view) if turn.state.view else compose.profile_text(turn.state))
    turn.shown = True


@handles(Intent.PASTE_POSTING)
def _paste_posting(turn: Turn) -> None:
    advisor = turn.advisor
    turn.state = advisor.refresh(advisor.load_posting(turn.state, turn.text))
    assert turn.state.view is not None
    turn.say(compose.overview(turn.state.view))
    turn.shown = True


@handles(Intent.SET_CONSTRAINTS)
def _set_constraints(turn: Turn) -> None:
    slots = turn.understanding.slots
    priced_in = turn.advisor.catalog.institution.currency
    if slots.budget is not None and slots.currency and slots.currency != priced_in:
        # no exchange rate is invented: a budget in another currency is asked again in the catalog's
        turn.say(
            f"This catalog's prices are in {priced_in}, so I cannot weigh a budget of "
            f"{money(slots.budget, slots.currency)} against them. What is it in {priced_in}? "
            "I have left your budget as it was.",
            Allowed(amounts=frozenset({slots.budget})),
        )
        slots = replace(slots, budget=None, currency=None)
        turn.state = turn.state.model_copy(update={"awaiting": "budget"})
        if not slots.constraints_given:
            return
    turn.state = turn.advisor.set_constraints(turn.state, slots)
    turn.say(f"Noted: {compose.constraints_text(turn.state.profile.constraints)}.")
    turn.changed = True


@handles(Intent.ADD_SKILLS)
def _add_skills(turn: Turn) -> None:
    text = turn.understanding.slots.skills_text
    if not text:
        return
    held_before = sorted(turn.state.profile.skill_uris)
    turn.state, typed = turn.advisor.add_skills(turn.state, text)
    turn.say(compose.skills_added_text(typed.skills, typed.unresolved, held_before, typed.technologies))
    turn.changed = True


@handles(Intent.REMOVE_SKILLS)
def _remove_skills(turn: Turn) -> None:
    text = turn.understanding.slots.skills_text
    if not text:
        return
    turn.state, removed, tools = turn.advisor.remove_skills(turn.state, text)
    turn.say(compose.removed_text(removed, tools))
    turn.changed = True


@handles(Intent.HELD_CREDENTIALS)
def _held_credentials(turn: Turn) -> None:
    advisor = turn.advisor
    ids = list(turn.understanding.slots.credential_ids)
    named = advisor.find_credential(turn.text) if not ids else None
    if named is not None:
        ids.append(named.id)
    if not ids:
        turn.say("Which credential is it? Give its id or title from the catalog.")
        return
    turn.state = advisor.hold_credentials(turn.state, ids)
    turn.say(
        "Noted as held: "
        + ", ".join(f"**{i} — {advisor.credential(i).title}**" for i in ids)
        + ". I will not recommend them again and count them toward stacks.",
        turn.guard.allowed_for(ids),
    )
    turn.changed = True


@handles(Intent.COMPARE)
def _compare(turn: Turn) -> None:
    advisor, slots = turn.advisor, turn.understanding.slots
    if not (slots.compare or slots.goal):
        return
    goals = list(slots.compare)
    if not goals and slots.goal:
        current = turn.state.goal_label
        goals = [current, slots.goal] if current else [slots.goal]
    if len(goals) >= 2:
        rows = advisor.compare(turn.state, goals)
        turn.state = turn.state.model_copy(update={"comparison": rows})
        turn.say(compose.comparison_text(rows))
    switch_to = slots.goal or (goals[-1] if not slots.compare else None)
    if switch_to:
        compared = turn.state.comparison if len(goals) >= 2 else ()  # set_goal clears it; it was just shown
        state = advisor.refresh(advisor.set_goal(turn.state, switch_to))
        turn.state = state.model_copy(update={"comparison": compared})
        assert turn.state.view is not None
        turn.say(f"I switched your goal to **{turn.state.view.target.label}**.")
        route = compose.best_route(turn.state.view, turn.state.objective)
        turn.say(compose.route_summary(route) if route and route.steps else compose.overview(turn.state.view))
    turn.shown = True


@handles(Intent.SET_GOAL)
def _set_goal(turn: Turn) -> None:
    goal = turn.understanding.slots.goal
    if not goal or Intent.COMPARE in turn.understanding.intents:
        return
    try:
        state = turn.advisor.set_goal(turn.state, goal)
    except GoalUnclearError as unclear:
        ask_goal(turn, unclear)
        return
    turn.state = turn.advisor.refresh(state)
    assert turn.state.view is not None
    turn.say(compose.overview(turn.state.view))
    turn.shown = True


def ask_goal(turn: Turn, unclear: GoalUnclearError) -> None:
    """A goal that names several jobs or a field: ask, with the options as buttons; nothing changes."""
    labels = tuple(label for _, label, _ in unclear.options)
    turn.state = turn.state.model_copy(update={"goal_options": labels, "awaiting": "goal"})
    turn.say(compose.goal_question(unclear), compose.goal_question_allowed(unclear))
    turn.shown = True


@handles(Intent.UNDO)
def _undo(turn: Turn) -> None:
    point = turn.state.undo
    if point is None:
        turn.say("There is nothing to undo: I have not changed anything you told me.")
        return
    turn.state = restore(turn.state)
    allowed = Allowed(amounts=compose.amounts_in(point.changes), verbatim=frozenset(point.changes))
    turn.say("Undone: " + "; ".join(point.changes) + ".", allowed)
    turn.changed = True


@handles(Intent.EXPLORE)
def _explore(turn: Turn) -> None:
    view = turn.advisor.explore(turn.state)
    target = view.target
    turn.say(explore_text(view), Allowed(verbatim=frozenset({target.label, *target.alternatives, *target.reasons})))
    turn.shown = True


# --- views -------------------------------------------------------------------------------------------------


@handles(Intent.HELP)
def _help(turn: Turn) -> None:
    turn.say(compose.help_text(turn.state))


@handles(Intent.GREET)
def _greet(turn: Turn) -> None:
    turn.say(compose.welcome(turn.state, turn.advisor.catalog.institution.name))


@handles(Intent.THANKS)
def _thanks(turn: Turn) -> None:
    turn.say("You're welcome. Come back any time; your plan is saved with this conversation.")


@handles(Intent.PROFILE)
def _profile(turn: Turn) -> None:
    turn.say(compose.profile_text(turn.state))


@handles(Intent.SEARCH_CATALOG)
def _search(turn: Turn) -> None:
    query = turn.understanding.slots.query
    if not query:
        _with_view(turn, lambda view: fallback(turn.state, turn.understanding))
        return
    found = turn.advisor.search(query)
    turn.say(compose.search_text(query, found), turn.guard.allowed_for([c.id for c in found]))


@handles(Intent.EXPLAIN)
def _explain(turn: Turn) -> None:
    view, ordinal = turn.state.view, turn.understanding.slots.ordinal
    if view is not None and view.picks and ordinal is not None and ordinal > len(view.picks):
        # "why the second one?" with one recommendation: say so, never explain another one in its place
        only = f"only {len(view.picks)} recommendation" + ("s" if len(view.picks) > 1 else "")
        turn.say(
            f"There {'are' if len(view.picks) > 1 else 'is'} {only} for now.\n\n" + compose.recommendations_text(view)
        )
        return
    credential_id = referenced(turn)
    if credential_id is None:
        if turn.state.view is None:
            turn.say("Which credential do you mean? Set a goal first, or name one by its id.")
        else:
            turn.say(compose.gap_text(turn.state.view))
        return
    credential = turn.advisor.credential(credential_id)
    turn.state = turn.state.model_copy(update={"focus": credential_id})
    turn.say(
        compose.explain_text(credential, turn.state.view, turn.advisor.related_titles(credential)),
        turn.guard.allowed_for([credential_id]),
    )


def _with_view(turn: Turn, write: Callable[[AdviceView], str]) -> None:
    """Views of the advice: computed now if the profile, goal or limits changed; without a goal, ask for one."""
    turn.state = turn.advisor.refresh(turn.state)
    if turn.state.view is None:
        turn.state = turn.state.model_copy(update={"awaiting": "goal"})
        turn.say(ASK_GOAL)
        return
    turn.say(write(turn.state.view))


def _goal_facts(turn: Turn) -> OccupationFacts | None:
    """The facts of the goal (a goal named in the same message counts); asks for a goal when there is none."""
    goal = turn.understanding.slots.goal
    uri = None
    if goal:
        try:
            uri = turn.advisor.advice.resolve(OccupationTarget(title=goal)).occupation_uri
        except GoalUnclearError as unclear:
            ask_goal(turn, unclear)
            return None
    uri = uri or turn.advisor.goal_uri(turn.state)
    if uri is None:
        turn.state = turn.state.model_copy(update={"awaiting": "goal"})
        turn.say("Which job do you mean? Tell me the goal (for example “data analyst”) and I will look it up.")
        return None
    return turn.advisor.occupation_facts(uri)


@handles(Intent.EARNINGS)
def _earnings(turn: Turn) -> None:
    facts = _goal_facts(turn)
    if facts is not None:
        amounts = {Decimal(str(v)) for v in compose.wage_amounts(facts.wage)}
        turn.say(compose.earnings_text(facts), Allowed(amounts=frozenset(amounts), verbatim=frozenset({facts.label})))


@handles(Intent.LICENCE)
def _licence(turn: Turn) -> None:
    facts = _goal_facts(turn)
    if facts is None:
        return
    first = turn.advisor.entry_credential(facts.label)
    ids = [first.id] if first is not None else []
    turn.say(
        compose.licence_text(facts, first),
        turn.guard.allowed_for(ids).merge(Allowed(verbatim=frozenset({facts.label}))),
    )


@handles(Intent.SHOW_GAP)
def _show_gap(turn: Turn) -> None:
    _with_view(turn, compose.gap_text)


@handles(Intent.RECOMMEND)
def _recommend(turn: Turn) -> None:
    def write(view: AdviceView) -> str:
        focus = view.picks[0].credential_id if view.picks else turn.state.focus
        turn.state = turn.state.model_copy(update={"focus": focus})
        return compose.recommendations_text(view)

    _with_view(turn, write)


@handles(Intent.ROUTE)
def _route(turn: Turn) -> None:
    def write(view: AdviceView) -> str:
        objective = turn.understanding.slots.objective or turn.state.objective
        turn.state = turn.state.model_copy(update={"objective": objective})
        return compose.route_text(view, objective)

    _with_view(turn, write)


@handles(Intent.FASTER)
def _faster(turn: Turn) -> None:
    def write(view: AdviceView) -> str:
        turn.state = turn.state.model_copy(update={"objective": RouteObjective.FASTEST})
        return compose.route_text(view, RouteObjective.FASTEST)

    _with_view(turn, write)


@handles(Intent.CHEAPER)
def _cheaper(turn: Turn) -> None:
    """Cheaper than what was shown: alternatives to the item in focus, else a route under the current cost."""
    turn.state = turn.advisor.refresh(turn.state)
    if turn.state.view is None:
        turn.state = turn.state.model_copy(update={"awaiting": "goal"})
        turn.say(ASK_GOAL)
        return
    if not _cheaper_alternatives(turn):
        _cheaper_route(turn)


def _cheaper_alternatives(turn: Turn) -> bool:
    """Recommended credentials cheaper than the one in focus that cover some of the same gap."""
    state, slots = turn.state, turn.understanding.slots
    assert state.view is not None
    view = state.view
    focus = referenced(turn)
    if focus is None or not (slots.pronoun or slots.ordinal or slots.credential_ids):
        return False
    current = turn.advisor.credential(focus)
    covered = {
        uri for card in view.recommendations if card.credential_id == focus for uri in (ref.uri for ref in card.covers)
    } or set(current.skill_uris)
    options = [
        card
        for card in view.recommendations
        if card.credential_id != focus
        and card.cost is not None
        and current.cost is not None
        and card.cost < current.cost.amount
        and covered & {ref.uri for ref in card.covers}
    ]
    if not options:
        return False
    lines = [
        f"Cheaper than **{current.id} — {current.title}** "
        f"({compose.price_of(current)}) and covering some of the same gap:"
    ]
    lines += [f"- {compose.card_line(card)}" for card in options[:3]]
    turn.say("\n".join(lines), turn.guard.allowed_for([focus]))
    return True


def _cheaper_route(turn: Turn) -> None:
    """The cheapest route when it costs less; else the most coverage under a budget just below this one."""
    state, advisor = turn.state, turn.advisor
    assert state.view is not None
    view = state.view
    shown = compose.best_route(view, state.objective)
    cheapest = compose.best_route(view, RouteObjective.CHEAPEST)
    if cheapest is not None and shown is not None and cheapest.steps and cheapest.total_cost < shown.total_cost:
        turn.state = state.model_copy(update={"objective": RouteObjective.CHEAPEST})
        turn.say(compose.route_text(view, RouteObjective.CHEAPEST))
        return
    if shown is None or not shown.steps:
        turn.say("No route fits your goal and limits yet, so there is nothing cheaper to show.")
        return
    if shown.total_cost <= 0:
        turn.say(f"This plan's credentials state a price of {money(0, shown.currency)}; there is no cheaper option.")
        return
    # a trial under a lower ceiling, shown as an option: the learner's own budget stays as they said it
    budget = (shown.total_cost - Decimal("0.01")).quantize(Decimal("0.01"))
    trial = advisor.refresh(advisor.with_budget(state, budget))
    assert trial.view is not None
    route = compose.best_route(trial.view, RouteObjective.MOST_COVERAGE)
    limit = state.profile.constraints.budget
    kept = f" (your budget stays {money(limit, shown.currency)})" if limit is not None else ""
    if route is None or not route.steps:
        turn.say(
            f"Nothing in the catalog covers your gap for less than "
            f"{money(shown.total_cost, shown.currency)}; this is already the cheapest plan{kept}."
        )
        return
    turn.say(
        f"Here is an option for less than {money(shown.total_cost, shown.currency)}{kept}:\n"
        + compose.route_text(trial.view, RouteObjective.MOST_COVERAGE),
        shown_allowed(turn.guard, trial.view).merge(Allowed(amounts=frozenset({shown.total_cost}))),
    )


# --- shared ------------------------------------------------------------------------------------------------


def referenced(turn: Turn) -> str | None:
    """The credential a message points at: an id, "the second one", a title, or "that one" (the focus)."""
    slots, state = turn.understanding.slots, turn.state
    if slots.credential_ids:
        return slots.credential_ids[0]
    view = state.view
    if slots.ordinal is not None and view is not None and view.picks:
        cards = view.picks  # numbered as the list shows them: prerequisites sit under their pick
        index = slots.ordinal - 1 if slots.ordinal > 0 else len(cards) - 1
        if 0 <= index < len(cards):
            return cards[index].credential_id
    named = turn.advisor.find_credential(turn.text)
    if named is not None:
        return named.id
    if state.focus is not None:
        return state.focus
    if view is not None and view.picks:
        return view.picks[0].credential_id
    return None


def fallback(state: ConversationState, u: Understanding) -> str:
    if u.main is Intent.UNKNOWN:
        return "I am not sure what you mean. " + compose.help_text(state)
    return compose.help_text(state)


def explore_text(view: AdviceView) -> str:
    if view.target.occupation_uri is None:  # nothing ranked: the target is a placeholder, not a job
        return (
            "No occupation shares the skills on your profile yet. Share your résumé or tell me a few skills "
            "you have, then ask again which jobs fit."
        )
    lines = [f"From your profile, the closest fit is **{view.target.label}**."]
    lines.extend(f"- {reason}" for reason in view.target.reasons[:3])
    after = []
    if view.target.alternatives:
        after.append("Other good fits: " + ", ".join(view.target.alternatives) + ".")
    after.append('Say "I want to become …" with one of them to plan toward it.')
    # a blank line ends the list: Markdown would run the next line into the last bullet
    return "\n".join(lines) + "\n\n" + "\n\n".join(after)


def plain(message: str) -> str:
    """An error's first line as a reply; an unmatched job title becomes a suggestion to try another."""
    message = message.splitlines()[0] if message else "That did not work."
    if "no ESCO occupation matches" in message:
        quoted = re.search(r"the title (['\"])(.*)\1", message)
        title = quoted.group(2) if quoted else message
        return f"I could not find a job matching “{title}”. Try another title, e.g. “data analyst”."
    return message[:1].upper() + message[1:]


def _check_registry() -> None:
    wanted = {spec.intent for spec in REGISTRY if spec.shown is not Shown.NONE}
    missing, extra = wanted - set(HANDLERS), set(HANDLERS) - wanted
    if missing or extra:
        raise RuntimeError(f"dialogue handlers out of step with the registry: missing {missing}, extra {extra}")


_check_registry()
