// The JavaScript API without a framework: load an example, settle, run a line, show the nodes.
import init, { Playground } from "./pkg/daemonset_playground.js";

await init();
const $ = (id) => document.getElementById(id);
let p;

function show() {
  const view = p.view();
  $("clock").textContent = `virtual time: ${view.now / 1000} s`;
  const rows = view.nodes.map((n) => {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = n.name + (n.unschedulable ? " (cordoned)" : "");
    const pods = document.createElement("td");
    pods.textContent = n.pods.map((pod) => `${pod.name} ${pod.status}`).join(", ") || "—";
    tr.append(name, pods);
    return tr;
  });
  $("nodes").tBodies[0].replaceChildren(...rows);
}

function load(id) {
  p = Playground.fromExample(id);
  p.settle();
  $("output").textContent = "";
  show();
}

for (const e of Playground.examples()) {
  const o = document.createElement("option");
  o.value = e.id;
  o.textContent = e.title;
  $("example").append(o);
}
$("example").addEventListener("change", (e) => load(e.target.value));
$("form").addEventListener("submit", (e) => {
  e.preventDefault();
  const out = p.run($("line").value);
  p.settle();
  $("output").textContent = (out.ok ? out.stdout : out.stderr) || "(no output)";
  show();
});
load("logging-agent");
