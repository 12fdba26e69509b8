"""The scenario stored in an output file (attribute ``scenario_toml``), parsed and told in words."""

from __future__ import annotations

import datetime as dt
import re
import tomllib

LEVER_REFERENCE = 0.5

SUPPORT_MODES = {
    "none": "no support team",
    "expert": "expert support (experts stand in for the animators: the hours help only while "
              "they last)",
    "capacity_building": "capacity-building support (the support team trains animators and "
                         "CdPs: the skills stay)",
}
SUPPORT_POLICIES = {
    "neediest": "the neediest CdPs first",
    "first_come": "first come, first served",
    "proportional": "in proportion to what each CdP asks for",
}
SHOCK_KINDS = {
    "pandemic": "pandemic",
    "funding_cut": "funding cut",
    "platform_migration": "platform migration",
}


def parse(toml_text: str | None) -> dict:
    """The scenario as a dict (empty when the text is missing or not valid TOML)."""
    if not toml_text:
        return {}
    try:
        return tomllib.loads(str(toml_text))
    except tomllib.TOMLDecodeError:
        return {}


def descriptions(toml_text: str | None) -> dict[tuple[str, str], str]:
    """{(section, key): meaning} from the comment line above each key of a resolved scenario.

    The resolved TOML written by cdpsim documents every key as ``# meaning [unit, range]``; the
    bracketed unit and range are dropped.
    """
    out: dict[tuple[str, str], str] = {}
    section, comment = "", ""
    for raw in str(toml_text or "").splitlines():
        line = raw.strip()
        if line.startswith("[[") and line.endswith("]]"):
            section, comment = line[2:-2].strip(), ""
        elif line.startswith("[") and line.endswith("]"):
            section, comment = line[1:-1].strip(), ""
        elif line.startswith("#"):
            comment = line.lstrip("#").strip()
        elif "=" in line:
            key = line.split("=", 1)[0].strip()
            if comment and (section, key) not in out:
                out[(section, key)] = re.sub(r"\s*\[[^\[\]]*\]\s*$", "", comment)
            comment = ""
        else:
            comment = ""
    return out


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def nice_date(d: dt.date | None) -> str:
    return f"{d.day} {d.strftime('%B %Y')}" if d else "an unknown date"


def number(x, digits: int = 0) -> str:
    """1234.5 -> '1,234' (digits=0) or '1,234.5' (digits=1); integers keep no decimals."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if digits == 0 or float(x).is_integer() and abs(x) >= 10:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def lever_changes(scen: dict) -> list[tuple[str, float]]:
    """(lever, value) of every lever that differs from the reference 0.5."""
    levers = scen.get("levers", {}) or {}
    return [(k, float(v)) for k, v in levers.items()
            if isinstance(v, (int, float)) and abs(float(v) - LEVER_REFERENCE) > 1e-12]


def end_date(scen: dict, weeks: int | None = None) -> dt.date | None:
    sim = scen.get("simulation", {})
    start = as_date(sim.get("start_date"))
    weeks = weeks if weeks is not None else sim.get("weeks")
    if start is None or weeks is None:
        return None
    return start + dt.timedelta(days=7 * int(weeks) - 1)


def shock_sentence(shock: dict, sim_end: dt.date | None = None) -> str:
    kind = SHOCK_KINDS.get(shock.get("kind", ""), str(shock.get("kind", "shock")))
    label = shock.get("label") or ""
    start = as_date(shock.get("start"))
    weeks = shock.get("duration_weeks")
    name = f"{label} ({kind})" if label and label.lower() != kind else kind
    text = f"{name} from {nice_date(start)}"
    if weeks:
        end = start + dt.timedelta(days=7 * int(weeks) - 1) if start else None
        text += f" for {int(weeks)} weeks"
        if end:
            text += f" (to {nice_date(end)}"
            text += ", beyond the simulated period)" if sim_end and end > sim_end else ")"
    intensity = shock.get("intensity")
    if intensity is not None and float(intensity) != 1.0:
        text += f", at {float(intensity):.0%} intensity"
    return text


def describe(scen: dict, toml_text: str | None = None, weeks_done: int | None = None) -> list[str]:
    """The scenario in plain sentences (one paragraph each), for a report."""
    if not scen:
        return ["The file does not store a readable scenario."]
    desc = descriptions(toml_text)
    sim = scen.get("simulation", {})
    pop = scen.get("population", {})
    sup = scen.get("support", {})
    levers = scen.get("levers", {})
    out = []
    name = sim.get("name", "unnamed")
    question = sim.get("question")
    first = f"Scenario “{name}”"
    if question:
        first += f": {question}" + ("" if question.rstrip()[-1:] in ".?!" else ".")
    else:
        first += "."
    out.append(first)

    start = as_date(sim.get("start_date"))
    weeks = int(sim.get("weeks", 0) or 0)
    years = weeks / 52.18
    out.append(f"It simulates {weeks} weeks (about {years:.1f} years), from {nice_date(start)} to "
               f"{nice_date(end_date(scen))}, with random seed {sim.get('seed', '?')}.")

    terr = scen.get("territories", []) or []
    plats = scen.get("platforms", []) or []
    pop_text = (f"The ecosystem starts with {number(pop.get('initial_members', 0))} members of "
                f"{number(pop.get('organisations', 0))} organisations and "
                f"{number(pop.get('initial_cdps', 0))} communities of practice (CdPs); up to "
                f"{number(pop.get('potential_members', 0))} people may register over time.")
    if len(terr) > 1:
        pop_text += (f" The organisations are spread over {len(terr)} territories ("
                     + ", ".join(t.get("name", "?") for t in terr) + ").")
    if len(plats) > 1:
        pop_text += (f" CdPs work on {len(plats)} digital platforms ("
                     + ", ".join(p.get("name", "?") for p in plats) + ").")
    out.append(pop_text)

    shocks = scen.get("shocks", []) or []
    if shocks:
        out.append("Shocks: " + "; ".join(shock_sentence(s, end_date(scen)) for s in shocks)
                   + ".")
    else:
        out.append("No shock is scheduled.")

    mode = sup.get("mode", "none")
    cap = levers.get("support_capacity", LEVER_REFERENCE)
    if mode == "none" or float(cap) == 0.0:
        out.append("Support: none; CdPs are on their own.")
    else:
        text = f"Support: {SUPPORT_MODES.get(mode, mode)}"
        hours = sup.get("capacity_hours")
        if hours is not None:
            text += (f", a team of {number(hours, 1)} hours a week at the reference support "
                     f"capacity (support_capacity lever {float(cap):.2f})")
        policy = sup.get("policy")
        if policy:
            text += f", giving {SUPPORT_POLICIES.get(policy, policy)}"
        weeks_ep = sup.get("episode_weeks")
        if weeks_ep:
            text += f", for at most {int(weeks_ep)} weeks per CdP"
        if sup.get("peer_network"):
            text += "; trained animators form a peer network"
        out.append(text + ".")

    changes = lever_changes(scen)
    if changes:
        parts = []
        for key, value in changes:
            meaning = desc.get(("levers", key))
            direction = "higher" if value > LEVER_REFERENCE else "lower"
            item = f"{key.replace('_', ' ')} = {value:.2f} ({direction} than the reference 0.5"
            item += f": {meaning})" if meaning else ")"
            parts.append(item)
        out.append("Levers set away from the reference value 0.5: " + "; ".join(parts) + ".")
    else:
        out.append("All 17 levers of action are at their reference value 0.5.")
    return out
