// The cluster page: polls GET /cluster every 2 s and shows every live instance's load, with plots of the last minutes
// and the objects per type. The samples of the last minutes (kept by the instances in Redis) are read once, and again
// when an instance the page has not seen appears; after that each poll adds the latest sample. No dependencies.
const REFRESH_MS = 2000;
const PLOT_MS = 5 * 60 * 1000;
const COLORS = ["#2563eb", "#15803d", "#b45309", "#9333ea", "#0891b2", "#be123c", "#4d7c0f", "#c2410c"];
const SVG = "http://www.w3.org/2000/svg";
const $ = id => document.getElementById(id);

const plots = [
  { svg: $("plot-connections"), value: s => s.connections },
  { svg: $("plot-deliveries"), value: s => s.deliveriesPerSecond },
  { svg: $("plot-p99"), value: s => s.pushP99Ms },
  { svg: $("plot-cpu"), value: s => s.cpuPercent },
];
const colors = new Map(); // instance ID -> color, stable while the page is open
const histories = new Map(); // instance ID -> its samples of the last minutes, oldest first

function colorOf(id) {
  if (!colors.has(id)) {
    colors.set(id, COLORS[colors.size % COLORS.length]);
  }
  return colors.get(id);
}

const number = n => n == null ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: 1 });
const bytes = n => n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : `${Math.round(n / (1 << 20))} MiB`;
function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function showInstances(view) {
  const rows = view.instances.map(instance => {
    const tr = document.createElement("tr");
    tr.dataset.instance = instance.instanceId;
    const name = document.createElement("td");
    name.className = "instance";
    const dot = document.createElement("span");
    dot.className = "swatch";
    dot.style.background = colorOf(instance.instanceId);
    const id = document.createElement("span");
    id.textContent = instance.instanceId + (instance.instanceId === view.instance ? " (this one)" : "");
    name.append(dot, id);
    if (instance.url) {
      const link = document.createElement("a");
      link.href = `${instance.url}/cluster`;
      link.textContent = instance.url;
      name.append(link);
    }
    const status = cell(instance.status, `state ${instance.status}`);
    tr.append(name, status,
      cell(number(instance.connections), "num"), cell(number(instance.deliveriesPerSecond), "num"),
      cell(instance.pushP99Ms == null ? "–" : `${number(instance.pushP99Ms)} ms`, "num"), cell(`${number(instance.cpuPercent)} %`, "num"),
      cell(bytes(instance.memoryBytes), "num"), cell(duration(instance.at - instance.startedAt), "num"));
    for (const [i, label] of ["Instance", "Status", "Connections", "Deliveries/s", "Push P99", "CPU", "Memory", "Up"].entries()) {
      tr.children[i].dataset.label = label;
    }
    return tr;
  });
  $("instances").tBodies[0].replaceChildren(...rows);
  const sum = f => view.instances.reduce((total, i) => total + (f(i) ?? 0), 0);
  $("total-instances").textContent = number(view.instances.length);
  $("total-connections").textContent = number(sum(i => i.connections));
  $("total-deliveries").textContent = number(sum(i => i.deliveriesPerSecond));
  $("total-objects").textContent = number(Object.values(view.grains).reduce((a, b) => a + b, 0));
  $("answered-by").textContent = `answered by ${view.instance}`;
  $("legend").replaceChildren(...view.instances.map(instance => {
    const item = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colorOf(instance.instanceId);
    item.append(swatch, instance.instanceId);
    return item;
  }));
  $("grains").replaceChildren(...Object.entries(view.grains).map(([type, count]) => {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = type;
    const value = document.createElement("strong");
    value.textContent = number(count);
    li.append(name, value);
    return li;
  }));
  if (Object.keys(view.grains).length === 0) {
    $("grains").replaceChildren(Object.assign(document.createElement("li"), { textContent: "none active" }));
  }
}

/** One polyline per instance over the last five minutes; the y axis from 0 to the largest value, shown in the caption. */
function plot({ svg, value }, instances) {
  const series = instances.map(i => ({ id: i.instanceId, points: histories.get(i.instanceId).map(s => [s.at, value(s)]).filter(([, v]) => v != null) }));
  const all = series.flatMap(s => s.points);
  const now = Math.max(...instances.map(i => i.at), 0);
  const from = now - PLOT_MS;
  const max = Math.max(1, ...all.map(([, v]) => v));
  const x = t => (t - from) / (now - from) * 300;
  const y = v => 115 - v / max * 105;
  const children = [];
  for (const fraction of [0, 0.5, 1]) {
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", 0); line.setAttribute("x2", 300);
    line.setAttribute("y1", y(max * fraction)); line.setAttribute("y2", y(max * fraction));
    line.setAttribute("class", "grid");
    children.push(line);
  }
  svg.parentElement.querySelector(".max").textContent = `top: ${number(max)}`;
  for (const s of series) {
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", s.points.filter(([t]) => t >= from).map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" "));
    line.setAttribute("stroke", colorOf(s.id));
    line.setAttribute("class", "series");
    line.dataset.instance = s.id;
    children.push(line);
  }
  svg.replaceChildren(...children);
}

function setStatus(text, className) {
  $("status").textContent = text;
  $("status").className = `status ${className}`;
}

async function readView(history) {
  const response = await fetch(history ? "/cluster?history=true" : "/cluster", { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) {
    throw new Error(`GET /cluster answered ${response.status}`);
  }
  return response.json();
}

/** Keeps each listed instance's samples: all of them when the view has them, else the latest added to what the page has. */
function remember(instances) {
  for (const id of histories.keys()) {
    if (!instances.some(i => i.instanceId === id)) {
      histories.delete(id);
    }
  }
  for (const instance of instances) {
    const samples = instance.history ?? histories.get(instance.instanceId);
    if (!instance.history && samples.at(-1)?.at !== instance.at) {
      samples.push(instance);
    }
    histories.set(instance.instanceId, samples.filter(s => s.at >= instance.at - PLOT_MS));
  }
}

async function refresh() {
  try {
    let view = await readView(false);
    if (view.instances.some(i => !histories.has(i.instanceId))) {
      view = await readView(true);
    }
    remember(view.instances);
    showInstances(view);
    for (const p of plots) plot(p, view.instances);
    setStatus("live", "connected");
    $("error").hidden = true;
  } catch (error) {
    setStatus("offline", "offline");
    $("error").textContent = `Cannot read the cluster from this instance: ${error.message}. Retrying.`;
    $("error").hidden = false;
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
