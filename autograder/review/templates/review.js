// The review page: grade one question across students by keyboard, or every question of one student.
// Student text arrives as HTML the server made safe (cells); everything else is set as text, never as HTML.
"use strict";

const TOKEN = document.body.dataset.token;
const state = {course: null, detail: null, mode: null, index: 0, showAll: false, busy: 0};

const $ = (sel, root = document) => root.querySelector(sel);
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
const fmt = (x) => (Math.round(x * 1e6) / 1e6).toString();

async function api(path, body) {
  const options = body === undefined ? {headers: {"X-Review-Token": TOKEN}}
    : {method: "POST", headers: {"X-Review-Token": TOKEN, "Content-Type": "application/json"},
       body: JSON.stringify(body)};
  const response = await fetch(path, options);
  const data = await response.json();
  if (!response.ok) throw Object.assign(new Error(data.error || response.statusText), {status: response.status});
  return data;
}

function scoreOf(student, question) {
  return state.course.scores.find((s) => s.student === student && s.question === question) || null;
}
const students = () => state.course.students;
const current = () => students()[state.index];

async function load() {
  state.course = await api("/api/course");
  $("#who").textContent = `grading as ${state.course.who}`;
  if (!state.mode) {
    state.mode = state.course.manual.length ? {kind: "manual", id: state.course.manual[0].id}
      : {kind: "part", part: state.course.parts[0]};
  }
  fillPickers();
  await show();
}

function fillPickers() {
  const q = $("#question");
  q.replaceChildren(...state.course.manual.map((m) => el("option", {value: `manual:${m.id}`,
    text: `${m.id}: ${m.name} (${fmt(m.points)} P)`})),
    ...state.course.parts.map((p) => el("option", {value: `part:${p}`, text: `checks of ${p}`})));
  const s = $("#student-pick");
  s.replaceChildren(el("option", {value: "", text: "(by question)"}),
    ...students().map((r) => el("option", {value: r.student, text: r.student})));
  if (state.mode.kind === "manual") q.value = `manual:${state.mode.id}`;
  if (state.mode.kind === "part") q.value = `part:${state.mode.part}`;
  s.value = state.mode.kind === "student" ? current().student : "";
}

async function show() {
  const asked = state.asked = (state.asked || 0) + 1;
  const detail = await api(`/api/student?s=${encodeURIComponent(current().student)}`);
  if (asked !== state.asked) return;  // a later view was asked for meanwhile: this one would replace it
  state.detail = detail;
  renderStudents();
  renderCells();
  renderGrading();
}

function questionPart() {
  if (state.mode.kind === "part") return state.mode.part;
  if (state.mode.kind === "manual") return state.course.manual.find((m) => m.id === state.mode.id).part || "";
  return "";
}

function renderStudents() {
  const list = el("ol");
  students().forEach((r, i) => {
    let mark = `${fmt(r.total)}`;
    if (state.mode.kind === "manual") {
      const s = scoreOf(r.student, state.mode.id);
      mark = s ? fmt(s.points) : "–";
    }
    list.append(el("li", {class: i === state.index ? "current" : "", "data-student": r.student,
      title: r.review || "", onclick: () => go(i)},
      el("span", {class: "name", text: r.student}), el("span", {class: "mark", text: mark}),
      r.review && r.review.includes("not applied") ? el("span", {class: "flag", text: "!"}) : null));
  });
  $("#students").replaceChildren(list);
}

function renderCells() {
  const part = questionPart();
  const d = state.detail;
  const shown = d.cells.filter((c) => state.showAll || !part || c.parts.includes(part));
  const work = $("#work");
  work.replaceChildren(el("h2", {text: `${d.student}${d.name ? " (" + d.name + ")" : ""}: ${d.status}`}),
    el("p", {class: "source", text: `From ${d.source}. ${part && !state.showAll ? "The cells about " + part +
      " (a: all cells)." : "All cells."}${d.reason ? " " + d.reason : ""}`}));
  for (const c of shown.length ? shown : d.cells) {
    const box = el("div", {class: `cell ${c.kind}`});
    box.innerHTML = c.html;  // made safe by the server: highlighted code, Markdown without raw HTML
    work.append(box);
  }
}

function renderGrading() {
  const aside = $("#grading");
  aside.replaceChildren();
  if (state.mode.kind === "manual") {
    const m = state.course.manual.find((q) => q.id === state.mode.id);
    aside.append(manualPanel(m));
    if (m.part) aside.append(checksPanel(m.part));
    aside.append(requestsPanel([m.id]));
  } else if (state.mode.kind === "part") {
    aside.append(checksPanel(state.mode.part),
      requestsPanel(state.course.checks.filter((c) => c.part === state.mode.part).map((c) => c.number)));
  } else {
    for (const m of state.course.manual) aside.append(manualPanel(m));
    for (const p of state.course.parts) aside.append(checksPanel(p));
    aside.append(requestsPanel([...state.course.manual.map((m) => m.id), ...state.course.checks.map((c) => c.number)]));
  }
  const row = state.detail.row;
  aside.append(el("p", {class: "total", text: `Total ${fmt(row.total)} of ${fmt(state.course.total)}` +
    (row.review ? ` · ${row.review}` : "")}));
}

function manualPanel(m) {
  const who = current().student;
  const s = scoreOf(who, m.id);
  const picked = new Set(s ? s.items : []);
  const panel = el("div", {class: "panel manual", "data-question": m.id},
    el("h3", {text: `${m.id}: ${m.name} (${fmt(m.points)} P, ${m.scoring} scoring)`}));
  const items = el("ol", {class: "items"});
  m.items.forEach((item, i) => {
    const box = el("input", {type: "checkbox", "data-item": i + 1, checked: picked.has(i + 1),
      onchange: () => toggle(m, i + 1)});
    items.append(el("li", {}, el("label", {}, box, ` [${i + 1}] ${item.points > 0 ? "+" : ""}${fmt(item.points)}: `,
      el("span", {text: item.comment}))));
  });
  const points = el("input", {class: "points", type: "number", step: "any", min: 0, max: m.points,
    value: s ? fmt(s.points) : "", placeholder: "points"});
  const comment = el("textarea", {class: "comment", rows: 3, placeholder: "a comment the student reads"});
  comment.value = s ? s.comment : "";
  points.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); saveManual(m, panel); } });
  comment.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); saveManual(m, panel); }
  });
  panel.append(...[items, el("label", {}, "Points ", points, ` of ${fmt(m.points)}`), el("label", {}, "Comment ", comment),
    el("button", {type: "button", onclick: () => saveManual(m, panel), text: "Save"}),
    s ? el("button", {type: "button", class: "remove", onclick: () => removeScore(who, m.id, s), text: "Clear"}) : null,
    el("p", {class: "by", text: s ? `${fmt(s.points)} P by ${s.who} at ${s.at}` : "not graded yet"})]
    .filter((child) => child !== null));  // DOM append would write a missing button as the text "null"
  return panel;
}

function checksPanel(part) {
  const who = current().student;
  const panel = el("div", {class: "panel checks", "data-part": part}, el("h3", {text: `Automatic checks of ${part}`}));
  const tests = state.detail.tests.filter((t) => t.part === part);
  if (!tests.length) panel.append(el("p", {text: "No checks were graded (see the status)."}));
  for (const t of tests) {
    const o = scoreOf(who, t.number);
    const stale = o && Math.abs(o.basis - t.score) > 1e-9;
    const points = el("input", {class: "override-points", type: "number", step: "any", min: 0, max: t.max_score,
      placeholder: "new points", value: o ? fmt(o.points) : ""});
    const reason = el("input", {class: "override-reason", type: "text", placeholder: "the reason the student reads",
      value: o ? o.comment : ""});
    panel.append(el("div", {class: `check${stale ? " stale" : ""}`, "data-number": t.number},
      el("p", {}, el("b", {text: `${t.number} ${t.name}`}), ` ${fmt(t.score)} / ${fmt(t.max_score)} (${t.visibility})`,
        o ? el("span", {class: "override", text: ` → ${fmt(o.points)} by ${o.who}: ${o.comment}`}) : null,
        stale ? el("span", {class: "flag", text: ` To check again: the automatic score was ${fmt(o.basis)} when overridden.`}) : null),
      t.output ? el("details", {}, el("summary", {text: "the grader's feedback"}), el("pre", {text: t.output})) : null,
      el("div", {class: "override-form"}, points, reason,
        el("button", {type: "button", class: "override-save", text: o ? "Set again" : "Override",
          onclick: () => saveOverride(who, t, points.value, reason.value, o)}),
        o ? el("button", {type: "button", class: "remove", text: "Remove override",
          onclick: () => removeScore(who, t.number, o)}) : null)));
  }
  return panel;
}

function requestsPanel(questions) {
  const who = current().student;
  const panel = el("div", {class: "panel requests"}, el("h3", {text: "Regrade requests"}));
  for (const r of state.course.requests.filter((x) => x.student === who && questions.includes(x.question))) {
    const resolution = el("input", {type: "text", placeholder: "the answer the student reads", value: r.resolution});
    panel.append(el("div", {class: `request ${r.state}`, "data-request": r.id},
      el("p", {text: `#${r.id} on ${r.question} (${r.state}): ${r.text}`}), resolution,
      ...["accepted", "rejected", "open"].filter((st) => st !== r.state).map((st) => el("button", {type: "button",
        text: {accepted: "Accept", rejected: "Reject", open: "Open again"}[st],
        onclick: () => change("/api/resolve", {id: r.id, state: st, resolution: resolution.value, seen: r.version})}))));
  }
  const pick = el("select", {class: "request-question"}, ...questions.map((q) => el("option", {value: q, text: q})));
  const text = el("textarea", {class: "request-text", rows: 2, placeholder: "what the student asks"});
  panel.append(el("div", {class: "new-request"}, pick, text, el("button", {type: "button", text: "Add request",
    onclick: () => change("/api/request", {student: who, question: pick.value, text: text.value})})));
  return panel;
}

async function change(path, body) {
  state.busy += 1;
  $("#saved").textContent = "saving…";
  try {
    await api(path, body);
    $("#saved").textContent = "saved; writing the grade files…";
    await load();
    waitPublished();
  } catch (e) {
    $("#saved").textContent = e.message;
    if (e.status === 409) await load();
  } finally {
    state.busy -= 1;
  }
}

async function waitPublished() {
  for (;;) {
    const s = await api("/api/status");
    if (s.error) { $("#saved").textContent = s.error; return; }
    if (s.published && !state.busy) { $("#saved").textContent = "saved; grade files up to date"; return; }
    await new Promise((r) => setTimeout(r, 300));
  }
}

function saveManual(m, panel) {
  const s = scoreOf(current().student, m.id);
  const typed = $(".points", panel).value.trim();
  const items = [...panel.querySelectorAll("[data-item]")].filter((b) => b.checked).map((b) => Number(b.dataset.item));
  return change("/api/grade", {student: current().student, question: m.id, points: typed === "" ? null : Number(typed),
    items, comment: $(".comment", panel).value, seen: s ? s.version : 0});
}

function toggle(m, item) {
  const s = scoreOf(current().student, m.id);
  const items = new Set(s ? s.items : []);
  if (items.has(item)) items.delete(item); else items.add(item);
  return change("/api/grade", {student: current().student, question: m.id, points: null, items: [...items],
    comment: s ? s.comment : "", seen: s ? s.version : 0});
}

function saveOverride(who, t, points, reason, o) {
  return change("/api/override", {student: who, number: t.number, points: points === "" ? null : Number(points),
    reason, seen: o ? o.version : 0});
}

function removeScore(who, question, s) {
  return change("/api/remove", {student: who, question, seen: s.version});
}

function go(i) {
  state.index = (i + students().length) % students().length;
  if (state.mode.kind === "student") $("#student-pick").value = current().student;
  return show();
}

function activeManual() {
  const focused = document.activeElement && document.activeElement.closest(".panel.manual");
  const panel = focused || $(".panel.manual");
  return panel ? [state.course.manual.find((m) => m.id === panel.dataset.question), panel] : [null, null];
}

function onKey(e) {
  const typing = e.target.matches("input, textarea, select");
  if (e.key === "Escape") { e.target.blur(); return; }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  const [m, panel] = activeManual();
  const keys = {
    j: () => go(state.index + 1), ArrowDown: () => go(state.index + 1),
    k: () => go(state.index - 1), ArrowUp: () => go(state.index - 1),
    p: () => panel && $(".points", panel).focus(), c: () => panel && $(".comment", panel).focus(),
    a: () => { state.showAll = !state.showAll; renderCells(); },
    q: () => $("#question").focus(), s: () => $("#student-pick").focus(),
    "?": () => { $("#help").hidden = !$("#help").hidden; },
  };
  if (/^[1-9]$/.test(e.key) && m && Number(e.key) <= m.items.length) {
    e.preventDefault();
    toggle(m, Number(e.key));
  } else if (keys[e.key]) {
    e.preventDefault();
    keys[e.key]();
  }
}

document.addEventListener("keydown", onKey);
document.addEventListener("DOMContentLoaded", () => {
  $("#question").addEventListener("change", (e) => {
    const [kind, value] = e.target.value.split(/:(.*)/s);
    state.mode = kind === "manual" ? {kind, id: value} : {kind, part: value};
    $("#student-pick").value = "";
    e.target.blur();  // the keys go back to grading
    show();
  });
  $("#student-pick").addEventListener("change", (e) => {
    if (!e.target.value) { state.mode = null; load(); return; }
    state.mode = {kind: "student"};
    e.target.blur();
    go(students().findIndex((r) => r.student === e.target.value));
  });
  $("#help-button").addEventListener("click", () => { $("#help").hidden = !$("#help").hidden; });
  load().catch((e) => { $("#saved").textContent = e.message; });
});
