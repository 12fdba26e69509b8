"""The scenario stored in an output file (attribute ``scenario_toml``), parsed and told in words."""

from __future__ import annotations

import datetime as dt
import re
import tomllib

from . import i18n

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
    """26 December 2022 / 26 décembre 2022 (the current language, i18n)."""
    return i18n.date(d)


def number(x, digits: int = 0) -> str:
    """1234.5 -> '1,234' (digits=0) or '1,234.5' (digits=1); integers keep no decimals."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if digits == 0 or float(x).is_integer() and abs(x) >= 10:
        return i18n.num(x, 0)
    return i18n.num(x, digits)


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
    kind = i18n.term("shock", str(shock.get("kind", "shock")))
    label = shock.get("label") or ""
    start = as_date(shock.get("start"))
    weeks = shock.get("duration_weeks")
    name = f"{label} ({kind})" if label and label.lower() != kind.lower() else kind
    if start and sim_end and start > sim_end:  # valid, but after the horizon: never happened
        return i18n.t("sc_shock_never", name=name, start=nice_date(start))
    text = i18n.t("sc_shock", name=name, start=nice_date(start))
    if weeks:
        end = start + dt.timedelta(days=7 * int(weeks) - 1) if start else None
        text += i18n.t("sc_shock_weeks", weeks=int(weeks))
        if end:
            beyond = sim_end and end > sim_end
            text += i18n.t("sc_shock_beyond" if beyond else "sc_shock_to", end=nice_date(end))
    intensity = shock.get("intensity")
    if intensity is not None and float(intensity) != 1.0:
        text += i18n.t("sc_shock_intensity", pct=i18n.pct(float(intensity)))
    return text


def describe(scen: dict, toml_text: str | None = None, weeks_done: int | None = None) -> list[str]:
    """The scenario in plain sentences (one paragraph each), for a report, in the current
    language (i18n); the parameter meanings of the resolved TOML are quoted in English only."""
    if not scen:
        return [i18n.t("sc_unreadable")]
    desc = descriptions(toml_text) if i18n.current() == "en" else {}
    sim = scen.get("simulation", {})
    pop = scen.get("population", {})
    sup = scen.get("support", {})
    levers = scen.get("levers", {})
    out = []
    name = i18n.quote(sim.get("name", "unnamed"))
    question = sim.get("question")
    if question:
        q = question + ("" if question.rstrip()[-1:] in ".?!" else ".")
        out.append(i18n.t("sc_first_q", name=name, question=q))
    else:
        out.append(i18n.t("sc_first", name=name))

    start = as_date(sim.get("start_date"))
    weeks = int(sim.get("weeks", 0) or 0)
    out.append(i18n.t("sc_weeks", weeks=number(weeks), years=i18n.num(weeks / 52.18, 1),
                      start=nice_date(start), end=nice_date(end_date(scen)),
                      seed=sim.get("seed", "?")))

    terr = scen.get("territories", []) or []
    plats = scen.get("platforms", []) or []
    pop_text = i18n.t("sc_population", members=number(pop.get("initial_members", 0)),
                      orgs=number(pop.get("organisations", 0)),
                      cdps=number(pop.get("initial_cdps", 0)),
                      potential=number(pop.get("potential_members", 0)))
    if len(terr) > 1:
        pop_text += i18n.t("sc_territories", n=len(terr),
                           names=", ".join(x.get("name", "?") for x in terr))
    if len(plats) > 1:
        pop_text += i18n.t("sc_platforms", n=len(plats),
                           names=", ".join(p.get("name", "?") for p in plats))
    out.append(pop_text)

    shocks = scen.get("shocks", []) or []
    if shocks:
        out.append(i18n.t("sc_shocks", list=i18n.semicolon().join(
            shock_sentence(s, end_date(scen)) for s in shocks)))
    else:
        out.append(i18n.t("sc_no_shock"))

    mode = sup.get("mode", "none")
    cap = levers.get("support_capacity", LEVER_REFERENCE)
    if mode == "none" or float(cap) == 0.0:
        out.append(i18n.t("sc_no_support"))
    else:
        text = i18n.t("sc_support", mode=i18n.term("support_mode", mode))
        hours = sup.get("capacity_hours")
        if hours is not None:
            text += i18n.t("sc_support_hours", hours=number(hours, 1),
                           cap=i18n.num(float(cap), 2))
        policy = sup.get("policy")
        if policy:
            text += i18n.t("sc_support_policy", policy=i18n.term("support_policy", policy))
        weeks_ep = sup.get("episode_weeks")
        if weeks_ep:
            text += i18n.t("sc_support_episode", weeks=int(weeks_ep))
        if sup.get("peer_network"):
            text += i18n.t("sc_support_peers")
        out.append(text + ".")

    changes = lever_changes(scen)
    if changes:
        parts = []
        for key, value in changes:
            meaning = desc.get(("levers", key))
            higher = value > LEVER_REFERENCE
            lever_name = key.replace("_", " ") if i18n.current() == "en" else i18n.lever(key)
            item = i18n.t("sc_lever_higher" if higher else "sc_lever_lower", name=lever_name,
                          value=i18n.num(value, 2))
            if meaning:  # English only: "(higher than the reference 0.5: MEANING)"
                item = item[:-1] + f": {meaning})"
            parts.append(item)
        out.append(i18n.t("sc_levers", list=i18n.semicolon().join(parts)))
    else:
        out.append(i18n.t("sc_levers_ref"))
    return out


def week_of(value, start: dt.date | None) -> int | None:
    """A scenario's start or end (a week number, or a date) as a week number:
    ``floor((date - simulation.start_date) / 7 days)`` for a date, as cdpsim does."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    d = as_date(value)
    if d is None or start is None:
        return None
    return (d - start).days // 7


def scheduled_interventions(scen: dict) -> list[dict]:
    """The scenario's ``[[interventions]]`` as cdpsim schedules them, in file order: ``name``
    (``interventions[i]`` when unnamed), ``key``, ``how`` ("set" or "scale"), ``value``,
    ``start`` (week, default 0), ``end`` (week or None), ``triggered`` (a ``when`` is given),
    ``when``, ``until``, ``ramp_weeks`` and the costs and budgets (None when not given)."""
    start = as_date(scen.get("simulation", {}).get("start_date"))
    out = []
    for i, iv in enumerate(scen.get("interventions", []) or []):
        if not isinstance(iv, dict):
            continue
        how = "set" if "set" in iv else "scale" if "scale" in iv else None
        s = week_of(iv.get("start"), start)
        out.append({
            "name": str(iv.get("name") or f"interventions[{i}]"),
            "key": str(iv.get("key", "")),
            "how": how,
            "value": iv.get(how) if how else None,
            "start": 0 if s is None else s,
            "end": week_of(iv.get("end"), start),
            "triggered": bool(str(iv.get("when", "") or "").strip()),
            "when": str(iv.get("when", "") or ""),
            "until": str(iv.get("until", "") or ""),
            "ramp_weeks": int(iv.get("ramp_weeks", 0) or 0),
            "budget_hours": iv.get("budget_hours"),
            "budget": iv.get("budget"),
            "cost_per_hour": float(iv.get("cost_per_hour", 0) or 0),
            "cost_per_week": float(iv.get("cost_per_week", 0) or 0),
        })
    return out
