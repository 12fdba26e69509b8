// cdpsim explore: the page. Everything it shows comes from the server: the lever table and other
// tables from /api/meta (generated from the C++ tables), the run as a stream of frames from
// /api/stream (server-sent events), and every command is a JSON POST. docs/explorer.md.
"use strict";
(function () {
  const TOKEN = document.body.dataset.token;
  const $ = (id) => document.getElementById(id);
  const PHASE_COLOURS = ["#9aa5b1", "#4c9be8", "#2e9e5b", "#e0a100", "#c2185b", "#444"];
  const A_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

  let lang = localStorage.getItem("cdpsim-explore-lang") || (navigator.language || "en").slice(0, 2);
  if (lang !== "fr") lang = "en";
  let meta = null;
  let run = { a: [], b: [], dates: [], marks: [], compare: false, compareFrom: -1, horizon: 226,
              startDate: "", shocks: [], territories: [], network: null, events: [] };
  let state = null;
  let streamState = null;  // the stream's latest state, not yet shown (see onFrame)
  let dirty = false;

  // ---- words -------------------------------------------------------------------------------
  function t(key, args) {
    let s = (I18N[lang] && I18N[lang][key]) || I18N.en[key] || key;
    if (args) for (const k in args) s = s.replace("{" + k + "}", args[k]);
    return s;
  }
  const formats = new Map();  // one Intl.NumberFormat per language and digits: they are costly to make
  function num(v, d) {
    const k = lang + d;
    if (!formats.has(k))
      formats.set(k, new Intl.NumberFormat(lang === "fr" ? "fr-CA" : "en-CA",
                                           { minimumFractionDigits: d, maximumFractionDigits: d }));
    return formats.get(k).format(Number(v));
  }
  function message(text, error) {
    const m = $("message");
    m.textContent = text;
    m.className = error ? "error" : "";
  }

  // ---- server ------------------------------------------------------------------------------
  function url(path, params) {
    const q = new URLSearchParams(params || {});
    q.set("token", TOKEN);
    return path + "?" + q.toString();
  }
  async function post(path, body) {
    const r = await fetch(url(path), { method: "POST", headers: { "Content-Type": "application/json" },
                                       body: JSON.stringify(body || {}) });
    const j = await r.json().catch(() => ({ error: r.statusText }));
    if (!r.ok) {
      message(t("msg_error", { e: j.error || r.status }), true);
      throw new Error(j.error || String(r.status));
    }
    applyState(j);
    return j;
  }
  function quiet(p) { p.catch(() => {}); }

  // ---- charts ------------------------------------------------------------------------------
  // Marks (interventions, and the start of A/B) as labelled vertical lines; the pandemic band.
  const marksPlugin = {
    id: "cdpsimMarks",
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx;
      ctx.save();
      const pd = run.a;
      let from = -1;
      for (let i = 0; i <= pd.length; i++) {
        const on = i < pd.length && pd[i].pd > 0;
        if (on && from < 0) from = i;
        if (!on && from >= 0) {
          ctx.fillStyle = "rgba(123,44,191,0.08)";
          const x0 = x.getPixelForValue(from), x1 = x.getPixelForValue(i);
          ctx.fillRect(x0, y.top, x1 - x0, y.bottom - y.top);
          from = -1;
        }
      }
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx;
      ctx.save();
      ctx.font = "11px system-ui, sans-serif";
      let row = 0;
      const all = run.marks.slice();
      if (run.compare && run.compareFrom > 0) all.push({ week: run.compareFrom, run: "ab", label: "A/B" });
      for (const m of all) {
        const px = x.getPixelForValue(m.week);
        if (px < x.left || px > x.right) continue;
        ctx.strokeStyle = m.run === "b" ? "#d62728" : m.run === "ab" ? "#555" : "#b3541e";
        ctx.setLineDash(m.run === "ab" ? [2, 3] : [5, 3]);
        ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(px, y.top); ctx.lineTo(px, y.bottom); ctx.stroke();
        ctx.fillStyle = ctx.strokeStyle;
        const label = (m.run === "b" ? "B: " : run.compare && m.run === "a" ? "A: " : "") + m.label;
        ctx.fillText(label, Math.min(px + 3, x.right - ctx.measureText(label).width),
                     y.top + 11 + 12 * (row++ % 4));
      }
      ctx.restore();
    }
  };

  // Each chart: its title key and series (key into a week's JSON, word key, index for arrays).
  const CHARTS = [
    { id: "members", title: "chart_members", series: [["mt", "s_members"], ["ma", "s_active"]] },
    { id: "phases", title: "chart_phases", series: [0, 1, 2, 3, 4].map((p) => ["ph", "phase" + p, p]) },
    { id: "tiers", title: "chart_tiers", series: [["ti", "t_peripheral", 0], ["ti", "t_active", 1], ["ti", "t_core", 2]] },
    { id: "interactions", title: "chart_interactions", series: [["ip", "s_inperson"], ["on", "s_online"]] },
    { id: "knowledge", title: "chart_knowledge", series: [["ks", "s_knowledge"], ["bo", "s_boundary", null, "y2"]] },
    { id: "support", title: "chart_support", series: [["sd", "s_demanded"], ["sg", "s_given"]] }
  ];
  const charts = {};

  function seriesLabel(word) {
    if (word.startsWith("phase")) {
      const p = meta.phases[Number(word.slice(5))];
      return p[lang];
    }
    return t(word);
  }
  function weekTick(v) {
    const i = Math.round(v);
    const d = run.dates[i];
    return d ? d.slice(0, 7) : String(i);
  }

  function buildCharts() {
    const box = $("charts");
    box.innerHTML = "";
    for (const c of CHARTS) {
      const fig = document.createElement("figure");
      fig.className = "chart";
      const cap = document.createElement("figcaption");
      cap.dataset.i18n = c.title;
      cap.textContent = t(c.title);
      const canvas = document.createElement("canvas");
      canvas.id = "chart-" + c.id;
      const holder = document.createElement("div");  // Chart.js sizes itself to this box
      holder.className = "chart-box";
      holder.append(canvas);
      fig.append(cap, holder);
      box.append(fig);
      const scales = {
        x: { type: "linear", min: 0, max: run.horizon, ticks: { callback: weekTick, maxTicksLimit: 6 } },
        y: { beginAtZero: true }
      };
      if (c.series.some((s) => s[3] === "y2")) scales.y2 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } };
      charts[c.id] = new Chart(canvas, {
        type: "line",
        data: { datasets: [] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
          normalized: true, spanGaps: true,
          elements: { point: { radius: 0 }, line: { borderWidth: 1.8, tension: 0 } },
          plugins: { legend: { labels: { boxWidth: 12 } }, decimation: { enabled: false },
                     tooltip: { mode: "index", intersect: false,
                                callbacks: { title: (items) => items.length ? weekTick(items[0].parsed.x) : "" } } },
          scales
        },
        plugins: [marksPlugin]
      });
      charts[c.id].spec = c;
    }
  }

  function valueOf(w, s) {
    const v = w[s[0]];
    return s[2] === undefined || s[2] === null ? v : v[s[2]];
  }

  function updateCharts() {
    for (const id in charts) {
      const ch = charts[id], spec = ch.spec;
      const sets = [];
      spec.series.forEach((s, i) => {
        const colour = id === "phases" ? PHASE_COLOURS[s[2]] : A_COLOURS[i];
        const name = seriesLabel(s[1]);
        sets.push({ label: (run.compare ? "A " : "") + name, data: run.a.map((w) => ({ x: w.w, y: valueOf(w, s) })),
                    borderColor: colour, backgroundColor: colour, yAxisID: s[3] || "y" });
        if (run.compare)
          sets.push({ label: "B " + name, data: run.b.map((w) => ({ x: w.w, y: valueOf(w, s) })),
                      borderColor: colour, backgroundColor: colour, borderDash: [6, 3], yAxisID: s[3] || "y" });
      });
      ch.data.datasets = sets;
      ch.options.scales.x.max = run.horizon;
      ch.update("none");
    }
  }

  // ---- territory view ----------------------------------------------------------------------
  function learningColour(v) {
    const x = Math.max(0, Math.min(1, v));
    const r = Math.round(240 - 200 * x), g = Math.round(230 - 80 * x), b = Math.round(200 - 120 * x);
    return `rgb(${r},${g},${b})`;
  }
  function drawTerritory() {
    const cv = $("territory"), ctx = cv.getContext("2d");
    ctx.clearRect(0, 0, cv.width, cv.height);
    const ts = run.territories || [];
    ctx.font = "11px system-ui, sans-serif";
    if (ts.length <= 1) {
      ctx.fillStyle = "#555";
      wrapText(ctx, t("territory_none"), 20, 30, cv.width - 40, 16);
    }
    const n = ts.length;
    const pos = ts.map((tr, i) => {
      const p = TERRITORY_LAYOUT[tr.name];
      if (p) return [30 + p[0] * (cv.width - 60), 30 + p[1] * (cv.height - 70)];
      const a = 2 * Math.PI * i / Math.max(1, n);
      return [cv.width / 2 + 0.38 * cv.width * Math.cos(a), cv.height / 2 + 0.38 * cv.height * Math.sin(a)];
    });
    ctx.strokeStyle = "#9aa5b1";
    ctx.lineWidth = 1.2;
    ts.forEach((tr, i) => tr.neighbours.forEach((j) => {
      if (j <= i || !pos[j]) return;
      ctx.beginPath(); ctx.moveTo(pos[i][0], pos[i][1]); ctx.lineTo(pos[j][0], pos[j][1]); ctx.stroke();
    }));
    const maxM = Math.max(1, ...ts.map((x) => x.members || 0));
    ts.forEach((tr, i) => {
      const r = 8 + 14 * Math.sqrt((tr.members || 0) / maxM);
      ctx.fillStyle = learningColour(tr.learning);
      ctx.strokeStyle = "#1f3b5a";
      ctx.beginPath(); ctx.arc(pos[i][0], pos[i][1], r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      ctx.fillStyle = "#1d2430";
      const label = tr.name + " " + num(tr.learning, 2);
      ctx.fillText(label, Math.min(pos[i][0] - ctx.measureText(label).width / 2, cv.width - ctx.measureText(label).width - 2), pos[i][1] + r + 11);
    });
    // Legend: the colour scale of learning capacity.
    for (let k = 0; k <= 20; k++) {
      ctx.fillStyle = learningColour(k / 20);
      ctx.fillRect(cv.width - 130 + k * 5, cv.height - 18, 5, 10);
    }
    ctx.fillStyle = "#333";
    ctx.fillText("0", cv.width - 140, cv.height - 9);
    ctx.fillText("1", cv.width - 22, cv.height - 9);
  }
  function wrapText(ctx, text, x, y, width, lh) {
    let line = "";
    for (const word of text.split(" ")) {
      if (ctx.measureText(line + word).width > width) { ctx.fillText(line, x, y); y += lh; line = ""; }
      line += word + " ";
    }
    ctx.fillText(line, x, y);
  }

  // ---- network view: a few steps of a force layout per redraw, positions kept by CdP id ------
  const netPos = new Map();
  function drawNetwork() {
    const cv = $("network"), ctx = cv.getContext("2d");
    ctx.clearRect(0, 0, cv.width, cv.height);
    const net = run.network;
    if (!net) return;
    const W = cv.width, H = cv.height - 20;
    const nodes = net.nodes.map((n) => {
      let p = netPos.get(n[0]);
      if (!p) {
        const a = (n[0] * 2.399963) % (2 * Math.PI), r = 40 + (n[0] % 7) * 20;
        p = { x: W / 2 + r * Math.cos(a), y: H / 2 + r * Math.sin(a) };
        netPos.set(n[0], p);
      }
      return { id: n[0], members: n[1], phase: n[3], p };
    });
    const index = new Map(nodes.map((n, i) => [n.id, i]));
    const links = net.links.filter((l) => index.has(l[0]) && index.has(l[1]));
    const k = Math.sqrt(W * H / Math.max(1, nodes.length)) * 0.6;
    for (let it = 0; it < 8; it++) {
      const d = nodes.map(() => ({ x: 0, y: 0 }));
      for (let i = 0; i < nodes.length; i++)
        for (let j = i + 1; j < nodes.length; j++) {
          const dx = nodes[i].p.x - nodes[j].p.x, dy = nodes[i].p.y - nodes[j].p.y;
          const dist2 = Math.max(1, dx * dx + dy * dy);
          const f = k * k / dist2;
          d[i].x += dx * f / 10; d[i].y += dy * f / 10; d[j].x -= dx * f / 10; d[j].y -= dy * f / 10;
        }
      for (const l of links) {
        const i = index.get(l[0]), j = index.get(l[1]);
        const dx = nodes[i].p.x - nodes[j].p.x, dy = nodes[i].p.y - nodes[j].p.y;
        const dist = Math.sqrt(dx * dx + dy * dy) || 1, f = dist / k / 10;
        d[i].x -= dx * f; d[i].y -= dy * f; d[j].x += dx * f; d[j].y += dy * f;
      }
      nodes.forEach((n, i) => {
        d[i].x += (W / 2 - n.p.x) * 0.01; d[i].y += (H / 2 - n.p.y) * 0.01;
        const len = Math.sqrt(d[i].x * d[i].x + d[i].y * d[i].y), lim = 6;
        if (len > lim) { d[i].x *= lim / len; d[i].y *= lim / len; }
        n.p.x = Math.max(8, Math.min(W - 8, n.p.x + d[i].x));
        n.p.y = Math.max(8, Math.min(H - 8, n.p.y + d[i].y));
      });
    }
    const maxW = Math.max(1, ...links.map((l) => l[2]));
    ctx.strokeStyle = "rgba(80,90,110,0.35)";
    for (const l of links) {
      const a = nodes[index.get(l[0])].p, b = nodes[index.get(l[1])].p;
      ctx.lineWidth = 0.5 + 2.5 * l[2] / maxW;
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
    }
    for (const n of nodes) {
      ctx.fillStyle = PHASE_COLOURS[n.phase] || "#999";
      ctx.beginPath(); ctx.arc(n.p.x, n.p.y, 2 + 1.2 * Math.sqrt(n.members), 0, 2 * Math.PI); ctx.fill();
    }
    ctx.font = "11px system-ui, sans-serif";
    let x = 6;
    meta.phases.slice(0, 5).forEach((p, i) => {
      ctx.fillStyle = PHASE_COLOURS[i];
      ctx.fillRect(x, cv.height - 14, 10, 10);
      ctx.fillStyle = "#333";
      ctx.fillText(p[lang], x + 13, cv.height - 5);
      x += 18 + ctx.measureText(p[lang]).width;
    });
    ctx.fillText(t("nodes", { n: nodes.length, l: links.length }), x + 6, cv.height - 5);
  }

  // ---- event log ---------------------------------------------------------------------------
  function addEvents(list, which) {
    for (const e of list) run.events.push({ week: e[0], kind: e[1], cdp: e[2], detail: e[3], run: which });
    if (run.events.length > 600) run.events.splice(0, run.events.length - 600);
  }
  function drawEvents() {
    const ol = $("events");
    ol.innerHTML = "";
    const shown = run.events.slice(-300).reverse();
    for (const e of shown) {
      const li = document.createElement("li");
      if (e.kind.startsWith("intervention") || e.kind.startsWith("trigger")) li.className = "intervention";
      if (e.kind.startsWith("shock")) li.className = "shock";
      const who = e.cdp >= 0 ? " CdP " + e.cdp : "";
      li.textContent = (run.compare ? e.run.toUpperCase() + " " : "") + t("week") + " " + e.week +
        " (" + (run.dates[e.week] || "") + ")" + ": " + t("ev_" + e.kind) + who + (e.detail ? " — " + e.detail : "");
      ol.append(li);
    }
  }

  // ---- controls ----------------------------------------------------------------------------
  function target() {
    return run.compare ? document.querySelector("input[name=target]:checked").value : "a";
  }
  function buildLevers() {
    const box = $("levers");
    box.innerHTML = "";
    for (const g of meta.groups) {
      const fs = document.createElement("fieldset");
      const lg = document.createElement("legend");
      lg.dataset.i18n = "group_" + g;
      lg.textContent = t("group_" + g);
      fs.append(lg);
      for (const l of meta.levers.filter((x) => x.group === g)) {
        const div = document.createElement("div");
        div.className = "lever";
        div.id = "lever-" + l.key;
        const label = document.createElement("label");
        const name = document.createElement("span");
        name.className = "name";
        name.dataset.lever = l.key;
        const out = document.createElement("output");
        const input = document.createElement("input");
        Object.assign(input, { type: "range", min: l.min, max: l.max, step: 0.05, value: l.reference });
        input.dataset.key = "levers." + l.key;
        input.setAttribute("list", "reference-ticks");
        input.title = t("reference");
        const meaning = document.createElement("div");
        meaning.className = "meaning";
        meaning.dataset.lever = l.key;
        label.append(name, out, input);
        div.append(label, meaning);
        fs.append(div);
        input.addEventListener("input", () => { out.textContent = num(input.value, 2); });
        input.addEventListener("change", () => quiet(post("/api/lever", {
          run: target(), key: input.dataset.key, value: Number(input.value) })));
      }
      box.append(fs);
    }
    const ticks = document.createElement("datalist");
    ticks.id = "reference-ticks";
    const o = document.createElement("option");
    o.value = "0.5";
    ticks.append(o);
    box.append(ticks);
  }
  function buildSupport() {
    const sel = $("support-mode");
    sel.innerHTML = "";
    for (const m of meta.support_mode.choices) {
      const o = document.createElement("option");
      o.value = m;
      o.dataset.i18n = "mode_" + m;
      o.textContent = t("mode_" + m);
      sel.append(o);
    }
    sel.addEventListener("change", () => quiet(post("/api/lever", { run: target(), key: "support.mode", value: sel.value })));
    const h = $("support-hours");
    h.addEventListener("input", () => { $("support-hours-out").textContent = h.value; });
    h.addEventListener("change", () => quiet(post("/api/lever", { run: target(), key: "support.capacity_hours", value: Number(h.value) })));
  }
  function buildPresets() {
    const sel = $("preset");
    sel.innerHTML = "";
    for (const p of meta.presets) {
      const o = document.createElement("option");
      o.value = p.id;
      o.textContent = p.id + (p.too_large ? " " + t("msg_too_large") : "");
      o.disabled = p.too_large;
      sel.append(o);
    }
    sel.addEventListener("change", () => quiet(post("/api/reset", { preset: sel.value })));
  }
  const SHOCK_KINDS = ["pandemic", "funding_cut", "platform_migration"];
  function buildShocks() {
    const box = $("shocks");
    box.innerHTML = "";
    for (const k of SHOCK_KINDS) {
      const row = document.createElement("div");
      row.className = "shock-row";
      row.innerHTML =
        `<label><input type="checkbox" id="shock-${k}-on"> <b data-i18n="${k}">${t(k)}</b></label><span></span>` +
        `<span data-i18n="start">${t("start")}</span><input type="date" id="shock-${k}-start">` +
        `<span data-i18n="duration">${t("duration")}</span><input type="number" min="1" max="520" id="shock-${k}-duration">` +
        `<span data-i18n="intensity">${t("intensity")}</span><input type="range" min="0" max="1" step="0.05" id="shock-${k}-intensity">`;
      box.append(row);
    }
    $("apply-shocks").addEventListener("click", () => {
      const shocks = {};
      for (const k of SHOCK_KINDS)
        shocks[k] = { on: $(`shock-${k}-on`).checked, start: $(`shock-${k}-start`).value,
                      duration_weeks: Number($(`shock-${k}-duration`).value),
                      intensity: Number($(`shock-${k}-intensity`).value) };
      quiet(post("/api/reset", { shocks }));
    });
  }
  function showShocks(shocks) {
    const defaults = { pandemic: "2020-03-16", funding_cut: "2020-09-07", platform_migration: "2020-09-07" };
    for (const k of SHOCK_KINDS) {
      const s = shocks.find((x) => x.kind === k);
      $(`shock-${k}-on`).checked = !!s;
      $(`shock-${k}-start`).value = s ? s.start : defaults[k];
      $(`shock-${k}-duration`).value = s ? s.duration_weeks : 26;
      $(`shock-${k}-intensity`).value = s ? s.intensity : 1;
    }
  }

  function applyState(s) {
    if (!s || s.week === undefined) return;
    state = s;
    $("week").textContent = s.week;
    $("horizon").textContent = s.horizon;
    $("date").textContent = s.date;
    $("speed").value = s.speed; $("speed-out").textContent = s.speed;
    $("redraw").value = s.redraw; $("redraw-out").textContent = s.redraw;
    if (document.activeElement !== $("seed")) $("seed").value = s.seed;
    $("preset").value = s.preset;
    $("scenario-name").textContent = s.name;
    $("question").textContent = s.question;
    const p = meta.presets.find((x) => x.id === s.preset);
    $("preset-question").textContent = p ? p.question : "";
    $("play").disabled = s.playing || s.week >= s.horizon;
    $("pause").disabled = !s.playing;
    $("compare").textContent = t(s.compare ? "compare_stop" : "compare_start");
    $("compare").dataset.i18n = s.compare ? "compare_stop" : "compare_start";
    $("target").disabled = !s.compare;
    const settings = s.compare ? s[target()] : s.a;
    if (settings) {
      for (const l of meta.levers) {
        const input = document.querySelector(`input[data-key="levers.${l.key}"]`);
        const v = settings.levers[l.key];
        if (document.activeElement !== input) input.value = v;
        input.parentElement.querySelector("output").textContent = num(v, 2);
        $("lever-" + l.key).classList.toggle("moved", Math.abs(v - l.reference) > 1e-9);
      }
      $("support-mode").value = settings.support_mode;
      $("support-hours").value = settings.support_capacity_hours;
      $("support-hours-out").textContent = num(settings.support_capacity_hours, 0);
    }
    run.marks = s.marks;
    run.compare = s.compare;
    run.compareFrom = s.compare_from;
  }

  function translate() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    for (const l of meta.levers) {
      document.querySelectorAll(`[data-lever="${l.key}"]`).forEach((el) => {
        if (el.classList.contains("name")) el.textContent = lang === "fr" ? l.fr : l.en;
        else el.textContent = (lang === "fr" ? l.en : l.fr) + " — " + (lang === "fr" ? l.moves_fr : l.moves);
      });
    }
    $("lang-en").classList.toggle("on", lang === "en");
    $("lang-fr").classList.toggle("on", lang === "fr");
    buildPresets();
    if (state) applyState(state);
    dirty = true;
  }

  // ---- the stream --------------------------------------------------------------------------
  function onFrame(f) {
    if (f.type === "reset") {
      run = { a: [], b: [], dates: [], marks: [], compare: f.compare, compareFrom: f.compare ? 0 : -1,
              horizon: f.horizon, startDate: f.start_date, shocks: f.shocks, territories: f.territories,
              network: null, events: [] };
      netPos.clear();
      showShocks(f.shocks);
      message(t("msg_reset"));
    } else if (f.type === "weeks") {
      for (let i = 0; i < f.a.length; i++) {
        run.a[f.a[i].w] = f.a[i];
        run.dates[f.a[i].w] = f.dates[i];
      }
      if (f.b) for (const w of f.b) run.b[w.w] = w;
      addEvents(f.events || [], "a");
      if (f.events_b) addEvents(f.events_b.filter((e) => e[0] >= run.compareFrom), "b");
      if (f.network) run.network = f.network;
      if (f.territory) run.territories = f.territory;
      if (f.state && f.state.week >= f.state.horizon) message(t("msg_end"));
    } else if (f.type === "compare") {
      if (f.on) { run.b = run.a.slice(); message(t("msg_compare_on", { w: f.from })); }
      else { run.b = []; message(t("msg_compare_off")); }
    } else if (f.type === "error") {
      message(t("msg_error", { e: f.error }), true);
    } else if (f.type === "mark") {
      message(t("msg_intervention", { w: f.week, label: (f.run === "b" ? "B: " : "") + f.label }));
    }
    if (f.state) {
      // The controls show the latest state of the stream once per animation frame (a playing run
      // sends up to hundreds of frames a second; applying each one kept a slow machine busy).
      run.marks = f.state.marks;
      run.compare = f.state.compare;
      run.compareFrom = f.state.compare_from;
      streamState = f.state;
    }
    dirty = true;
  }
  function connect() {
    const es = new EventSource(url("/api/stream"));
    es.onmessage = (e) => onFrame(JSON.parse(e.data));
    es.onerror = () => { /* the browser reconnects by itself */ };
  }
  let lastDraw = 0, lastCost = 0;
  function redraw(now) {
    if (streamState) {
      const s = streamState;
      streamState = null;
      applyState(s);
    }
    // At most about six redraws a second: the plots stay live and the page stays responsive.
    // The pause is counted from the end of the last redraw and is at least twice what it cost,
    // so a slow machine (a loaded laptop) still keeps most of its time for clicks: otherwise the
    // redraws of a playing run fill the whole main thread and Pause answers seconds late.
    if (dirty && now - lastDraw > Math.max(160, 2 * lastCost)) {
      dirty = false;
      const t0 = performance.now();
      updateCharts();
      const t1 = performance.now();
      drawTerritory();
      drawNetwork();
      const t2 = performance.now();
      drawEvents();
      const t3 = performance.now();
      const p = window.cdpsimTimings || (window.cdpsimTimings = { frames: 0, charts: 0, views: 0, events: 0 });
      p.frames++; p.charts += t1 - t0; p.views += t2 - t1; p.events += t3 - t2;
      lastCost = t3 - t0;
      lastDraw = t3;
    }
    requestAnimationFrame(redraw);
  }

  // ---- export ------------------------------------------------------------------------------
  function download(href, name) {
    const a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    message(t("msg_exported", { f: name }));
  }
  function exportRun() { return run.compare ? target() : "a"; }

  // ---- start -------------------------------------------------------------------------------
  async function start() {
    meta = await (await fetch(url("/api/meta"))).json();
    buildLevers();
    buildSupport();
    buildShocks();
    buildPresets();
    buildCharts();
    applyState(await (await fetch(url("/api/state"))).json());
    translate();
    $("play").addEventListener("click", () => quiet(post("/api/play")));
    $("pause").addEventListener("click", () => quiet(post("/api/pause")));
    $("step").addEventListener("click", () => quiet(post("/api/step", { weeks: 1 })));
    $("reset").addEventListener("click", () => {
      const seed = Number($("seed").value);
      quiet(post("/api/reset", Number.isInteger(seed) && seed >= 0 ? { seed } : {}));
    });
    $("speed").addEventListener("change", () => quiet(post("/api/speed", { speed: Number($("speed").value) })));
    $("speed").addEventListener("input", () => { $("speed-out").textContent = $("speed").value; });
    $("redraw").addEventListener("change", () => quiet(post("/api/speed", { redraw: Number($("redraw").value) })));
    $("redraw").addEventListener("input", () => { $("redraw-out").textContent = $("redraw").value; });
    $("compare").addEventListener("click", () => quiet(post("/api/compare", { on: !state.compare }).then(() => {
      if (state.compare) document.querySelector("input[name=target][value=b]").checked = true;
      applyState(state);
    })));
    document.querySelectorAll("input[name=target]").forEach((r) => r.addEventListener("change", () => applyState(state)));
    $("lang-en").addEventListener("click", () => { lang = "en"; localStorage.setItem("cdpsim-explore-lang", lang); translate(); });
    $("lang-fr").addEventListener("click", () => { lang = "fr"; localStorage.setItem("cdpsim-explore-lang", lang); translate(); });
    $("export-toml").addEventListener("click", () => download(url("/api/export/scenario.toml", { run: exportRun() }), `explored-${exportRun()}.toml`));
    $("export-csv").addEventListener("click", () => download(url("/api/export/series.csv", { run: exportRun() }), `explored-${exportRun()}.csv`));
    $("export-h5").addEventListener("click", () => download(url("/api/export/run.h5", { run: exportRun() }), `explored-${exportRun()}.h5`));
    $("export-png").addEventListener("click", () => {
      for (const id in charts) download(charts[id].toBase64Image("image/png", 1), `explore-${id}.png`);
      download($("territory").toDataURL("image/png"), "explore-territory.png");
      download($("network").toDataURL("image/png"), "explore-network.png");
    });
    connect();
    requestAnimationFrame(redraw);
  }
  start().catch((e) => message(String(e), true));
})();
