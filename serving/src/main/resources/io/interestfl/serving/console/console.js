// The merchant console: every data call carries the serving token. No third-party code.
"use strict";
let token = sessionStorage.getItem("interestfl-serving-token") || "";

const $ = id => document.getElementById(id);
function cell(row, value, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  if (value instanceof Node) td.appendChild(value); else td.textContent = value === undefined || value === null ? "" : value;
  row.appendChild(td);
  return td;
}
async function call(path, options) {
  const r = await fetch(path, Object.assign({cache: "no-store"}, options || {},
    {headers: Object.assign({Authorization: "Bearer " + token}, (options && options.headers) || {})}));
  if (r.status === 401) { $("login").style.display = ""; $("loginError").textContent = "the token was refused"; throw new Error("401"); }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || ("status " + r.status));
  return body;
}

async function connect() {
  try {
    const list = await call("/v1/customers");
    $("login").style.display = "none";
    $("loginError").textContent = "";
    const select = $("customers");
    select.textContent = "";
    for (const c of list.customers) {
      const o = document.createElement("option");
      o.value = c; o.textContent = c;
      select.appendChild(o);
    }
    $("status").textContent = list.total + " customers";
    node();
    if (list.customers.length > 0) show(list.customers[0]);
  } catch (e) {
    if (e.message !== "401") $("loginError").textContent = String(e.message);
  }
}

async function node() {
  try { $("node").textContent = JSON.stringify(await call("/v1/node"), null, 2); } catch (e) { $("node").textContent = String(e.message); }
}

async function show(customer) {
  $("customerId").value = customer;
  await Promise.all([slate(customer), profile(customer)]);
}

async function slate(customer) {
  const body = $("slate").querySelector("tbody");
  body.textContent = "";
  try {
    const s = await call("/v1/recommendations?k=10&customer=" + encodeURIComponent(customer));
    $("policy").textContent = "(" + s.policy + (s.coldStart ? ", cold start" : "") + ")";
    $("repeat").textContent = typeof s.repeatProbability === "number"
      ? "repeat probability " + s.repeatProbability.toFixed(2) + ": the share of the slate's mass on the customer's own history" : "";
    s.items.forEach((it, i) => {
      const row = document.createElement("tr");
      row.className = "slot";
      cell(row, i + 1); cell(row, it.item); cell(row, it.code || "", "l");
      cell(row, it.slot, "l " + it.slot);
      cell(row, it.repeat ? "rebuy" : "", "l rebuy");
      cell(row, it.score.toFixed(4));
      const buttons = document.createElement("span");
      for (const event of ["click", "purchase"]) {
        const b = document.createElement("button");
        b.textContent = event;
        b.className = event;
        b.addEventListener("click", () => feedback(customer, it.item, event));
        buttons.appendChild(b);
      }
      cell(row, buttons, "l");
      body.appendChild(row);
    });
  } catch (e) { $("status").textContent = String(e.message); }
}

async function feedback(customer, item, event) {
  try {
    await call("/v1/feedback", {method: "POST", headers: {"content-type": "application/json"},
      body: JSON.stringify({customer: customer, item: item, event: event, timestamp: Date.now()})});
    $("feedbackStatus").className = "ok";
    $("feedbackStatus").textContent = "recorded: " + event + " of item " + item + " by " + customer;
  } catch (e) {
    $("feedbackStatus").className = "err";
    $("feedbackStatus").textContent = "not recorded: " + e.message;
  }
}

function bars(table, rows, key) {
  const body = $(table).querySelector("tbody");
  body.textContent = "";
  const max = Math.max(1, ...rows.map(r => r.count));
  for (const r of rows) {
    const row = document.createElement("tr");
    cell(row, key + " " + r[key] + (r.code ? " (" + r.code + ")" : ""), "l");
    const bar = document.createElement("span");
    bar.className = "bar"; bar.style.width = Math.round(120 * r.count / max) + "px";
    cell(row, bar, "l"); cell(row, r.count);
    body.appendChild(row);
  }
}

async function profile(customer) {
  try {
    const p = await call("/v1/profile?customer=" + encodeURIComponent(customer));
    $("summary").textContent = p.baskets + " baskets, " + p.distinctItems + " distinct items";
    bars("categories", p.categories, "category");
    bars("topItems", p.topItems, "item");
    const body = $("timeline").querySelector("tbody");
    body.textContent = "";
    for (const b of p.timeline.slice().reverse()) {
      const row = document.createElement("tr");
      cell(row, b.time.replace("T", " ").replace("Z", ""), "l"); cell(row, b.items.join(" "), "l");
      cell(row, b.categories.join(" "), "l");
      body.appendChild(row);
    }
  } catch (e) {
    $("summary").textContent = String(e.message);
    for (const t of ["categories", "topItems", "timeline"]) $(t).querySelector("tbody").textContent = "";
  }
}

$("connect").addEventListener("click", () => {
  token = $("token").value.trim();
  sessionStorage.setItem("interestfl-serving-token", token);
  connect();
});
$("customers").addEventListener("change", e => show(e.target.value));
$("show").addEventListener("click", () => show($("customerId").value.trim()));
if (token) connect();
