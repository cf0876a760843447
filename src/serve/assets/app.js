// iopsched serve: the pages' only script (embedded in the binary, no framework).
// Every state-changing request carries the page's token in X-Iopsched-Token.
// Text from the server is put in with textContent, never as HTML.
"use strict";

const TOKEN = document.querySelector('meta[name="iopsched-token"]').content;

async function call(method, url, body) {
  const init = { method, headers: { "X-Iopsched-Token": TOKEN } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  let data = {};
  try { data = await response.json(); } catch (e) { data = { message: response.statusText }; }
  return { ok: response.ok, status: response.status, data };
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function say(id, text) {
  const node = document.getElementById(id);
  if (node) node.textContent = text;
}

// An error answer in words, with each input problem's file, line and column.
function problem(data) {
  const lines = [data.message || data.error || "failed"];
  const errors = (data.details && data.details.errors) || [];
  for (const e of errors) lines.push(e.text);
  return lines.join("\n");
}

// ---- Week: Solve, Stop, Publish with live progress --------------------------
function progressText(s) {
  if (!s.running) return s.failed ? "solve failed: " + s.message : (s.message || "");
  const parts = ["solving: " + s.elapsed.toFixed(1) + " s of " + s.time_limit.toFixed(0) + " s"];
  if (s.stage && s.stage !== "solving") parts.push("stage " + s.stage);
  if (s.met !== null && s.met !== undefined) parts.push(s.met + " of " + s.clients + " met so far");
  if (s.bound !== null && s.bound !== undefined) parts.push("at most " + s.bound + " can be met");
  parts.push(Math.ceil(s.time_left) + " s left");
  if (s.stopping) parts.push("stopping…");
  return parts.join(" · ");
}

async function watchSolve() {
  const solve = document.getElementById("solve");
  const stop = document.getElementById("stop");
  solve.disabled = true;
  stop.disabled = false;
  for (;;) {
    const { data } = await call("GET", "/api/solve/progress");
    say("progress", progressText(data));
    if (!data.running) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  location.reload();
}

function weekPage() {
  const solve = document.getElementById("solve");
  if (!solve) return;
  solve.addEventListener("click", async () => {
    const r = await call("POST", "/api/solve");
    if (r.ok || r.status === 409 && r.data.error === "busy") watchSolve();
    else say("progress", problem(r.data));
  });
  document.getElementById("stop").addEventListener("click", async () => {
    const r = await call("POST", "/api/solve/stop");
    if (!r.ok) say("progress", problem(r.data));
  });
  document.getElementById("publish").addEventListener("click", async () => {
    say("progress", "publishing…");
    const r = await call("POST", "/api/publish");
    say("progress", r.ok ? "published " + r.data.files + " files" : problem(r.data));
    if (r.ok) say("publish-hint", "Published: later solves start from this roster.");
  });
  if (document.getElementById("progress").dataset.running === "yes") watchSolve();
}

// ---- Placements (intake, a client's other options) ---------------------------
function showOptions(box, data, admit) {
  box.replaceChildren();
  if (!data.options.length) box.append(el("p", "No option found."));
  for (const o of data.options) {
    const card = el("div", null, "option " + (o.meets_level ? "met" : "short"));
    let head = "Option " + o.rank + ": " + (o.meets_level ? "meets the level" : "short: " + o.shortfall);
    if (o.moved_clients) head += " · moves " + o.moved_clients + " published client(s)";
    card.append(el("h3", head));
    if (o.reason) card.append(el("p", o.reason, "hint"));
    const table = el("table", null, "list");
    const headRow = el("tr");
    for (const h of ["day", "start", "end", "activity", "session", "staff"]) headRow.append(el("th", h));
    table.append(headRow);
    for (const r of o.rows) {
      const tr = el("tr");
      for (const v of [r.day, r.start, r.end, r.activity, r.session_name, r.staff_id]) tr.append(el("td", v));
      table.append(tr);
    }
    card.append(table);
    box.append(card);
  }
  if (admit) box.append(admit);
}

function intakeForm(form) {
  const data = Object.fromEntries(
    ["client_id", "level", "site", "track", "primary_therapist", "gender", "tags", "stage", "travel_minutes"]
      .map((name) => [name, form.elements[name].value]));
  data.busy = [...document.querySelectorAll("#busy tbody tr")].map((tr) => ({
    day: tr.querySelector('[name="day"]').value,
    start: tr.querySelector('[name="start"]').value,
    end: tr.querySelector('[name="end"]').value,
    reason: tr.querySelector('[name="reason"]').value,
  }));
  return data;
}

function intakePage() {
  const form = document.getElementById("intake");
  if (!form) return;
  const body = document.querySelector("#busy tbody");
  document.getElementById("add-busy").addEventListener("click", () => {
    const row = document.getElementById("busy-row").content.firstElementChild.cloneNode(true);
    row.querySelector(".remove").addEventListener("click", () => row.remove());
    body.append(row);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const client = intakeForm(form);
    say("intake-status", "placing…");
    const box = document.getElementById("placements");
    box.replaceChildren();
    const r = await call("POST", "/api/place", client);
    if (!r.ok) { say("intake-status", problem(r.data)); return; }
    say("intake-status", "");
    const admit = el("button", "Admit " + client.client_id);
    admit.id = "admit";
    admit.type = "button";
    admit.addEventListener("click", async () => {
      admit.disabled = true;
      const a = await call("POST", "/api/admit", client);
      if (!a.ok) { say("intake-status", problem(a.data)); admit.disabled = false; return; }
      say("intake-status", "Admitted " + a.data.admitted + (a.data.solving ? "; re-solving the week (see Week)" : ""));
    });
    showOptions(box, r.data, admit);
  });
}

function clientPage() {
  const button = document.getElementById("find-options");
  if (!button) return;
  button.addEventListener("click", async () => {
    button.disabled = true;
    const box = document.getElementById("options");
    box.replaceChildren(el("p", "searching…", "progress"));
    const r = await call("GET", "/api/clients/" + encodeURIComponent(button.dataset.client) + "/options");
    if (!r.ok) box.replaceChildren(el("p", problem(r.data), "error-list"));
    else showOptions(box, r.data, null);
    button.disabled = false;
  });
}

function whatifPage() {
  for (const button of document.querySelectorAll(".add-session")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      const r = await call("POST", "/api/sessions", { rank: Number(button.dataset.rank) });
      say("whatif-status", r.ok ? "Added " + r.data.added + " to sessions.csv; solve the week again to use it." : problem(r.data));
    });
  }
}

weekPage();
intakePage();
clientPage();
whatifPage();
