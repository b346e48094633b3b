"""Reads of a region's own workflow settings: its names for the steps ("a region may rename
steps") and its deadlines, each falling back to the workflow's default. One query per
workflow (or two for every workflow at once), never one per case shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import import_string
from django.utils.translation import get_language

from .models import Region, SlaOverride, StateLabel
from .modules import registry
from .workflow import State, Workflow, workflows


def _shown(label_id: str, label_en: str, default: object) -> str:
    """The region's name in the current language, else the workflow's (translated) one."""
    chosen = label_en if (get_language() or "id")[:2] == "en" else label_id
    return chosen or str(default)


def state_labels(region: Region, workflow_key: str) -> dict[str, str]:
    """Every state of the workflow -> the name to show in this region, in one query."""
    workflow = workflows.get(workflow_key)
    own = {
        state: (label_id, label_en)
        for state, label_id, label_en in StateLabel.objects.filter(
            region=region, workflow=workflow_key
        ).values_list("state", "label_id", "label_en")
    }
    return {s.key: _shown(*own.get(s.key, ("", "")), s.label) for s in workflow.states}


def state_label(region: Region, workflow_key: str, state: str) -> str:
    """The name to show in this region for one state (the key itself if undeclared)."""
    workflow = workflows.get(workflow_key)
    if state not in {s.key for s in workflow.states}:
        return state
    row = (
        StateLabel.objects.filter(region=region, workflow=workflow_key, state=state)
        .values_list("label_id", "label_en")
        .first()
    )
    label_id, label_en = row or ("", "")
    return _shown(label_id, label_en, workflow.state(state).label)


@dataclass(frozen=True)
class VariantDeadline:
    key: str
    sla_default: int
    sla_days: int
    overridden: bool


@dataclass(frozen=True)
class Step:
    """One state of a workflow as this region has it: names and deadline."""

    workflow: str
    state: str
    default_label: str
    label_id: str
    label_en: str
    label: str
    terminal: bool
    clock_stopped: bool
    sla_default: int | None
    sla_days: int | None
    sla_overridden: bool
    variants: tuple[VariantDeadline, ...]


@dataclass(frozen=True)
class WorkflowSteps:
    key: str
    module: str
    module_title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class StaleSetting:
    """A name or deadline the region set for a step no installed workflow declares now."""

    workflow: str
    state: str
    is_deadline: bool  # else a name
    value: str


def _owners() -> dict[str, tuple[str, str]]:
    """workflow key -> (module key, module title)."""
    owners: dict[str, tuple[str, str]] = {}
    for config in registry.modules.values():
        for path in config.workflows:
            owners[import_string(path).key] = (config.module_key, str(config.title))
    return owners


def _step(flow: Workflow, state: State, own: tuple[str, str], overrides: dict[str, int]) -> Step:
    targets = state.sla_targets()
    variants = tuple(
        VariantDeadline(
            key=v,
            sla_default=days,
            sla_days=overrides.get(f"{state.key}:{v}", days),
            overridden=f"{state.key}:{v}" in overrides,
        )
        for v, days in state.sla_variants.items()
        if f"{state.key}:{v}" in targets
    )
    running = bool(targets)
    return Step(
        workflow=flow.key,
        state=state.key,
        default_label=str(state.label),
        label_id=own[0],
        label_en=own[1],
        label=_shown(own[0], own[1], state.label),
        terminal=state.terminal,
        clock_stopped=state.clock_stopped,
        sla_default=state.sla_days if running else None,
        sla_days=state.deadline(overrides) if running else None,
        sla_overridden=running and state.key in overrides,
        variants=variants,
    )


def workflow_steps(region: Region) -> tuple[list[WorkflowSteps], list[StaleSetting]]:
    """Every installed workflow with each state's default name, the region's names and its
    deadline; and the region's settings that no installed workflow uses any more (a module
    removed, a state renamed in code). Two queries in all."""
    labels = {
        (w, s): (i, e)
        for w, s, i, e in StateLabel.objects.filter(region=region).values_list(
            "workflow", "state", "label_id", "label_en"
        )
    }
    overrides: dict[str, dict[str, int]] = {}
    for w, s, days in SlaOverride.objects.filter(region=region).values_list(
        "workflow", "state", "working_days"
    ):
        overrides.setdefault(w, {})[s] = days
    owners = _owners()
    flows = sorted(workflows.all(), key=lambda f: f.key)
    result = [
        WorkflowSteps(
            key=flow.key,
            module=owners.get(flow.key, ("", ""))[0],
            module_title=owners.get(flow.key, ("", flow.key))[1],
            steps=tuple(
                _step(flow, s, labels.get((flow.key, s.key), ("", "")), overrides.get(flow.key, {}))
                for s in flow.states
            ),
        )
        for flow in flows
    ]
    return result, _stale(flows, labels, overrides)


def _stale(
    flows: list[Workflow],
    labels: dict[tuple[str, str], tuple[str, str]],
    overrides: dict[str, dict[str, int]],
) -> list[StaleSetting]:
    states = {(f.key, s.key) for f in flows for s in f.states}
    targets = {(f.key, t) for f in flows for s in f.states for t in s.sla_targets()}
    stale = [
        StaleSetting(w, s, False, " / ".join(v for v in names if v))
        for (w, s), names in labels.items()
        if (w, s) not in states
    ]
    stale += [
        StaleSetting(w, s, True, str(days))
        for w, by_state in overrides.items()
        for s, days in by_state.items()
        if (w, s) not in targets
    ]
    return sorted(stale, key=lambda x: (x.workflow, x.state))
