// The coordinator dashboard: polls /status with the admin token (Authorization header only), redraws. No third-party code.
"use strict";
let token = sessionStorage.getItem("interestfl-token") || "";

function text(id, value) { document.getElementById(id).textContent = value; }

function cell(row, value, left) {
  const td = document.createElement("td");
  if (left) td.className = "l";
  td.textContent = value === undefined || value === null ? "" : value;
  row.appendChild(td);
}

function fmt(x, digits) { return typeof x === "number" && isFinite(x) ? x.toFixed(digits) : ""; }

function chart(id, points, digits) {
  const svg = document.getElementById(id);
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const w = svg.width.baseVal.value, h = svg.height.baseVal.value, pad = 34;
  const ns = "http://www.w3.org/2000/svg";
  const add = (name, attrs, content) => {
    const e = document.createElementNS(ns, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (content !== undefined) e.textContent = content;
    svg.appendChild(e);
    return e;
  };
  if (points.length === 0) { add("text", {x: pad, y: h / 2, fill: "#888"}, "nothing reported yet"); return; }
  const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1), y0 = 0, y1 = Math.max(...ys) * 1.1 || 1;
  const X = x => pad + (x - x0) / (x1 - x0) * (w - 2 * pad), Y = y => h - pad + 10 - (y - y0) / (y1 - y0) * (h - 2 * pad);
  add("line", {x1: pad, y1: Y(0), x2: w - pad, y2: Y(0), stroke: "#999"});
  add("line", {x1: pad, y1: Y(0), x2: pad, y2: Y(y1), stroke: "#999"});
  add("text", {x: 2, y: Y(y1) + 4, "font-size": 10}, fmt(y1, digits));
  add("text", {x: 2, y: Y(0), "font-size": 10}, "0");
  add("text", {x: pad, y: h - 4, "font-size": 10}, String(x0));
  add("text", {x: w - pad - 10, y: h - 4, "font-size": 10}, String(x1));
  add("polyline", {fill: "none", stroke: "#2463b0", "stroke-width": 2,
    points: points.map(p => X(p[0]) + "," + Y(p[1])).join(" ")});
  points.forEach(p => add("circle", {cx: X(p[0]), cy: Y(p[1]), r: 3, fill: "#2463b0"}));
}

function draw(s) {
  text("federation", s.federation);
  text("state", s.state);
  text("version", s.modelVersion + " / " + s.rounds);
  text("round", s.round);
  text("nodes", s.clients.length);
  const p = s.privacy || {};
  text("privacy", (p.mode || "none") + (typeof p.epsilon === "number" ? ", epsilon " + p.epsilon.toFixed(3) : ""));
  text("updated", new Date().toLocaleTimeString());
  const federated = (s.evaluations && s.evaluations.federated) || {};
  const body = document.querySelector("#rounds tbody");
  body.textContent = "";
  const utility = [], epsilon = [], loss = [];
  for (const r of s.history) {
    const row = document.createElement("tr");
    const v = r.modelVersionAfter;
    const ev = federated["v" + v];
    const ndcg = ev && ev.overall ? ev.overall["ndcg@10"] : undefined;
    if (typeof ndcg === "number" && r.outcome === "committed") utility.push([v, ndcg]);
    if (typeof r.epsilon === "number") epsilon.push([r.round, r.epsilon]);
    if (typeof r.meanTrainLoss === "number") loss.push([r.round, r.meanTrainLoss]);
    cell(row, r.round); cell(row, r.outcome, true); cell(row, (r.cohort || []).length);
    cell(row, (r.participants || []).length); cell(row, (r.dropped || []).length);
    cell(row, fmt(r.durationMillis / 1000, 1)); cell(row, fmt(r.meanTrainLoss, 4)); cell(row, fmt(ndcg, 4)); cell(row, fmt(r.epsilon, 3));
    cell(row, r.closedBy, true);
    body.appendChild(row);
  }
  chart("utility", utility, 3);
  chart("epsilon", epsilon, 2);
  chart("loss", loss, 3);
  const nodes = document.querySelector("#clients tbody");
  nodes.textContent = "";
  for (const c of s.clients) {
    const row = document.createElement("tr");
    cell(row, c.id, true); cell(row, c.region, true); cell(row, c.examples);
    cell(row, c.withdrawn ? "withdrawn: " + c.withdrawn : c.active ? "yes" : "no", true);
    cell(row, fmt(c.lastSeenMillisAgo / 1000, 0));
    nodes.appendChild(row);
  }
}

async function refresh() {
  if (!token) return;
  try {
    const r = await fetch("/status", {headers: {Authorization: "Bearer " + token}, cache: "no-store"});
    if (r.status === 401) { text("loginError", "the token was refused"); document.getElementById("login").style.display = ""; return; }
    if (!r.ok) { text("loginError", "status " + r.status); return; }
    text("loginError", "");
    document.getElementById("login").style.display = "none";
    draw(await r.json());
  } catch (e) {
    text("loginError", "cannot reach the coordinator: " + e);
  }
}

document.getElementById("connect").addEventListener("click", () => {
  token = document.getElementById("token").value.trim();
  sessionStorage.setItem("interestfl-token", token);
  refresh();
});
refresh();
setInterval(refresh, 2000);
