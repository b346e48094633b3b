"""The workflow engine's vocabulary: a workflow is data — states, actions between them,
who may take each action, what it requires, and an SLA per state in working days.

Modules declare Workflow objects in their workflow.py and list them in their ModuleConfig;
`lumbung.core.services.workflow.case_transition` is the only code that moves a case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

from .errors import DomainError, ErrorCode
from .models.people import Role


@dataclass(frozen=True)
class State:
    key: str
    label: str | Promise
    sla_days: int | None = None  # working days allowed in this state; None = no deadline
    terminal: bool = False
    # Deadlines that depend on the case (a complaint's category class, a permit's risk
    # level): the case names its variant through WorkflowCase.sla_variant(state).
    sla_variants: Mapping[str, int] = field(default_factory=dict)
    # The case waits on the applicant (sent back for correction): the deadline of the state
    # it came from stops, keeping its working days left, and runs again on RESUME.
    clock_stopped: bool = False

    def deadline(self, overrides: Mapping[str, int], variant: str = "") -> int | None:
        """Working days allowed here, given a region's overrides keyed by SLA target: the
        override of the variant, the variant's default, the override of the state, the
        state's default — the first that exists."""
        if variant in self.sla_variants:
            return overrides.get(f"{self.key}:{variant}", self.sla_variants[variant])
        return overrides.get(self.key, self.sla_days)

    def sla_targets(self) -> list[str]:
        """What a region may override: the state itself and each of its variants (nothing
        where no deadline can run: a final state, or one where the clock is stopped)."""
        if self.terminal or self.clock_stopped:
            return []
        return [self.key, *(f"{self.key}:{v}" for v in self.sla_variants)]


# An action's target meaning "back to the state the case was in before its clock stopped".
RESUME = "@resume"


@dataclass(frozen=True)
class Action:
    key: str
    label: str | Promise
    sources: tuple[str, ...]
    target: str
    roles: frozenset[Role]
    note_required: bool = False
    attachment_required: bool = False
    # The platform itself may take it with no signed-in actor: a periodic task, or a caller
    # the module's service has already vetted (the holder of a report's secret link).
    system: bool = False


@dataclass(frozen=True)
class Workflow:
    key: str
    initial: str
    states: tuple[State, ...]
    actions: tuple[Action, ...]
    # Roles notified, in order, each time a case in this workflow passes its deadline.
    escalation: tuple[Role, ...] = (Role.UNIT_HEAD, Role.REGION_ADMIN)
    _states: dict[str, State] = field(init=False, repr=False, compare=False)
    _actions: dict[str, Action] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_states", {s.key: s for s in self.states})
        object.__setattr__(self, "_actions", {a.key: a for a in self.actions})
        self._check()

    def _check(self) -> None:
        """A workflow that names a state it does not declare is a programming error."""
        if self.initial not in self._states:
            raise ValueError(f"{self.key}: unknown initial state {self.initial!r}")
        # A case must first be somewhere its clock runs: RESUME needs a state to return to.
        if self._states[self.initial].clock_stopped:
            raise ValueError(f"{self.key}: starts with its clock stopped")
        for state in self.states:
            if state.terminal and state.clock_stopped:
                raise ValueError(f"{self.key}.{state.key}: is final, so its clock cannot stop")
        for action in self.actions:
            targets = () if action.target == RESUME else (action.target,)
            for name in (*action.sources, *targets):
                if name not in self._states:
                    raise ValueError(f"{self.key}.{action.key}: unknown state {name!r}")
            if action.target == RESUME and not all(
                self._states[s].clock_stopped for s in action.sources
            ):
                raise ValueError(f"{self.key}.{action.key}: resumes from a running clock")

    def state(self, key: str) -> State:
        return self._states[key]

    def action(self, key: str) -> Action:
        try:
            return self._actions[key]
        except KeyError:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, f"Unknown action {key!r}.", status=422
            ) from None

    def actions_from(self, state: str) -> list[Action]:
        return [a for a in self.actions if state in a.sources]

    def open_states(self) -> list[str]:
        return [s.key for s in self.states if not s.terminal]


class _WorkflowRegistry:
    def __init__(self) -> None:
        self._by_key: dict[str, Workflow] = {}

    def register(self, workflow: Workflow) -> None:
        self._by_key[workflow.key] = workflow

    def get(self, key: str) -> Workflow:
        try:
            return self._by_key[key]
        except KeyError:
            raise DomainError(ErrorCode.WORKFLOW_UNKNOWN, f"Unknown workflow {key!r}.") from None

    def all(self) -> list[Workflow]:
        return list(self._by_key.values())


workflows = _WorkflowRegistry()
