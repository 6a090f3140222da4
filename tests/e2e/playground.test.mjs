// The playground as a person uses it, one test per topic of the seed article: taints, cordon,
// nodes joining and leaving, rolling updates and rollback, preemption, the missing
// PriorityClass, bad YAML, and never losing work. Screenshots go to out/ for looking at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, openBrowser, OUT_DIR } from "./harness.mjs";
import { card, badgeIs, settle, run, pickExample, shot, scenario } from "./helpers.mjs";

let server;
before(async () => { server = await serve(); });
after(() => server?.stop());

/** Open the page on a fresh profile, run `body`, check nothing went wrong in the console. */
async function withPage(body, viewport) {
  const { context, page, problems } = await openBrowser(viewport);
  try {
    await page.goto(server.url);
    await card(page, "worker-1").waitFor();
    await body(page, context);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

test("NoSchedule keeps the running pod, NoExecute evicts it", () => withPage(async (page) => {
  await settle(page);
  await badgeIs(page, "worker-1", "Running");
  await card(page, "worker-1").getByRole("button", { name: "Why?" }).click();
  const detail = page.getByRole("region", { name: "why: node worker-1" });
  await detail.getByLabel("taint key").fill("maintenance");
  await detail.getByLabel("taint value").fill("true");
  await detail.getByRole("button", { name: "Add taint" }).click();
  await card(page, "worker-1").getByRole("checkbox", { name: "maintenance=true:NoSchedule" }).waitFor();
  await settle(page);
  await badgeIs(page, "worker-1", "Running");
  // The controller now says the pod would not be created, but the running one may stay.
  await detail.getByText(/maintenance=true:NoSchedule/).first().waitFor();

  await detail.getByLabel("taint key").fill("dedicated");
  await detail.getByLabel("taint value").fill("batch");
  await detail.getByLabel("taint effect").selectOption("NoExecute");
  await detail.getByRole("button", { name: "Add taint" }).click();
  await badgeIs(page, "worker-1", "Terminating");
  await shot(page, "taint-noexecute-terminating");
  await settle(page);
  await badgeIs(page, "worker-1", "no pod");
  await page.locator(".events-table", { hasText: "TaintManagerEviction" }).waitFor();

  // Untick both taints: the pod comes back.
  await card(page, "worker-1").getByRole("checkbox", { name: "dedicated=batch:NoExecute" }).uncheck();
  await badgeIs(page, "worker-1", "no pod");
  await card(page, "worker-1").getByRole("checkbox", { name: "maintenance=true:NoSchedule" }).uncheck();
  await badgeIs(page, "worker-1", "ContainerCreating");
  await page.locator(".console-line", { hasText: "$ kubectl taint nodes worker-1 dedicated=batch:NoExecute-" }).waitFor();
}));

test("a cordoned node still gets its daemon pod", () => withPage(async (page) => {
  await card(page, "gpu-1").getByRole("button", { name: "Cordon" }).click();
  await card(page, "gpu-1").getByText("SchedulingDisabled").waitFor();
  await card(page, "gpu-1").getByRole("checkbox", { name: "nvidia.com/gpu=present:NoSchedule" }).uncheck();
  await settle(page);
  await badgeIs(page, "gpu-1", "Running");
  await shot(page, "cordon");
}));

test("an added node gets a pod and a removed one takes it away", () => withPage(async (page) => {
  await settle(page);
  const desired = page.locator(".ds-table tbody td").nth(1);
  assert.equal(await desired.textContent(), "4");
  await page.getByRole("button", { name: "Add node" }).click();
  await card(page, "node-1").waitFor();
  await badgeIs(page, "node-1", "ContainerCreating");
  assert.equal(await desired.textContent(), "5");
  await settle(page);
  await badgeIs(page, "node-1", "Running");
  // A copy of the GPU node has its taint, so no pod.
  await card(page, "gpu-1").getByRole("button", { name: "Copy" }).click();
  await card(page, "gpu-2").waitFor();
  await badgeIs(page, "gpu-2", "no pod");
  await card(page, "node-1").getByRole("button", { name: "Remove" }).click();
  await card(page, "node-1").waitFor({ state: "detached" });
  assert.equal(await desired.textContent(), "4");
  await page.locator(".console-line", { hasText: "$ sim node remove node-1" }).waitFor();
}));

test("set image rolls out as the timeline plays, and rolls back", () => withPage(async (page) => {
  await pickExample(page, "rolling-update");
  await card(page, "node-6").waitFor();
  await settle(page);
  await page.getByLabel("new image").fill("quay.io/prometheus/node-exporter:v1.9.1");
  await page.getByRole("button", { name: "Set image" }).click();
  // maxUnavailable 2: two old pods go first.
  await page.locator(".node-grid .pod.stage-terminating").nth(1).waitFor();
  assert.equal(await page.locator(".node-grid .pod.stage-terminating").count(), 2);
  await page.getByLabel("Speed").selectOption("30");
  await page.getByRole("button", { name: "▶ Play" }).click();
  await page.locator(".node-grid .pod-rev", { hasText: "rev 2" }).nth(3).waitFor();
  await shot(page, "rollout-playing");
  await page.getByLabel("rollout status").getByText('daemon set "node-exporter" successfully rolled out').waitFor({ timeout: 20_000 });
  await page.getByRole("button", { name: "❚❚ Pause" }).click();
  assert.equal(await page.locator(".node-grid .pod-rev", { hasText: "rev 2" }).count(), 6);
  await page.getByText("Diff between revisions").click();
  await page.getByText("Diff between revisions (2 changed lines)").waitFor();
  await page.getByLabel("revision diff").getByText("+ - image: quay.io/prometheus/node-exporter:v1.9.1").waitFor();

  await page.getByRole("button", { name: "Roll back to 1" }).click();
  await settle(page);
  await page.getByLabel("rollout status").getByText("successfully rolled out").waitFor();
  assert.equal(await page.locator(".node-grid .pod-rev", { hasText: "rev 3" }).count(), 6);
  await page.locator(".revisions tr.current", { hasText: "node-exporter=quay.io/prometheus/node-exporter:v1.8.2" }).waitFor();
  await shot(page, "rollback");
}));

test("a high-priority DaemonSet preempts, in the scheduler's words", () => withPage(async (page) => {
  await pickExample(page, "preemption");
  await card(page, "n3").waitFor();
  await settle(page);
  await page.locator(".events-table tr", { hasText: "Preempted by pod" }).first().waitFor();
  await badgeIs(page, "n3", "Pending");
  const msg = await card(page, "n3").locator(".event-msg").textContent();
  assert.match(msg, /preemption: 0\/3 nodes are available: 1 No preemption victims found for incoming pod/);
  await shot(page, "preemption");
}));

test("the missing PriorityClass shows the controller's FailedCreate", () => withPage(async (page) => {
  await pickExample(page, "missing-priority-class");
  await page.getByText("Warning FailedCreate").waitFor();
  const text = await page.locator(".ds-detail .event-msg").textContent();
  assert.match(text, /no PriorityClass with name high-priority was found/);
  const cells = await page.locator(".ds-table tbody td").allTextContents();
  assert.deepEqual(cells.slice(1, 3), ["3", "0"], "DESIRED 3, CURRENT 0");
  await shot(page, "missing-priority-class");
}));

test("bad YAML is marked at its line, and a reload keeps the edited scenario", () => withPage(async (page) => {
  const workloads = page.getByRole("textbox", { name: /^Workloads/ });
  const broken = (await workloads.inputValue()).replace("effect: NoSchedule", "effect: NoScheduel");
  await workloads.fill(broken);
  const line = broken.split("\n").findIndex((l) => l.includes("NoScheduel")) + 1;
  await page.locator(".gutter .mark-error").first().waitFor();
  assert.equal(await page.locator(".gutter .mark-error").first().textContent(), String(line));
  const problem = await page.locator(".diagnostics .diag-msg").first().textContent();
  assert.match(problem, /^The DaemonSet "log-agent" is invalid: spec\.template\.spec\.tolerations\[\d\]\.effect: Unsupported value: "NoScheduel": supported values: /);
  await shot(page, "bad-yaml");
  await run(page, "sleep 42s");
  await page.reload();
  await page.locator(".gutter .mark-error").first().waitFor();
  assert.ok((await workloads.inputValue()).includes("NoScheduel"));
  await page.locator(".console-line", { hasText: "$ sleep 42s" }).waitFor();
  await page.getByLabel("virtual time").getByText("0:42.0 / 0:42.0").waitFor();
  // Reset brings the example back.
  await page.getByRole("button", { name: "Reset" }).click();
  await page.locator(".gutter .mark-error").first().waitFor({ state: "detached" });
}));

test("export, then import on a fresh browser, lands on the same state", async () => {
  let file;
  await withPage(async (page) => {
    await card(page, "gpu-1").getByRole("button", { name: "Cordon" }).click();
    await run(page, "sleep 7s");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export" }).click();
    file = join(OUT_DIR, "exported.json");
    await (await download).saveAs(file);
  });
  const saved = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(saved.format, 1);
  assert.ok(saved.lines.some((l) => l.line === "kubectl cordon gpu-1"));
  await withPage(async (page) => {
    await page.getByLabel("Import a scenario file").setInputFiles(file);
    await page.getByLabel("virtual time").getByText("0:07.0 / 0:07.0").waitFor();
    await card(page, "gpu-1").getByText("SchedulingDisabled").waitFor();
    // A file that is not a scenario is refused with a message, and nothing changes.
    const junk = join(OUT_DIR, "junk.json");
    writeFileSync(junk, '{"format": 1, "editors": "<img src=x onerror=alert(1)>"}');
    await page.getByLabel("Import a scenario file").setInputFiles(junk);
    await page.getByRole("alert").getByText(/That file is not a playground scenario/).waitFor();
    await card(page, "gpu-1").getByText("SchedulingDisabled").waitFor();
  });
});

test("looking back shows the past and continuing from there drops the future", () => withPage(async (page) => {
  await settle(page);
  await run(page, "kubectl cordon worker-1");
  const timeline = page.getByRole("slider", { name: "Timeline" });
  await timeline.fill("0");
  await badgeIs(page, "worker-1", "ContainerCreating");
  assert.ok(await card(page, "worker-1").getByRole("button", { name: "Cordon" }).isDisabled());
  await page.getByRole("button", { name: "Continue from here" }).click();
  await page.getByLabel("virtual time").getByText("0:00.0 / 0:00.0").waitFor();
  assert.equal(await page.locator(".console-line", { hasText: "kubectl cordon worker-1" }).count(), 0);
}));

test("a phone-sized screen stacks the panels", () => withPage(async (page) => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await page.screenshot({ path: join(OUT_DIR, "phone.png"), fullPage: false });
}, { width: 390, height: 844 }));

test("a 1280x720 laptop shows the timeline and the nodes without sideways scrolling", () => withPage(async (page) => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  assert.ok(await page.getByRole("button", { name: "▶ Play" }).isVisible());
  await page.screenshot({ path: join(OUT_DIR, "laptop.png"), fullPage: false });
}, { width: 1280, height: 720 }));

test("a 1,000-node cluster is shown a page at a time, and filters find nodes", () => withPage(async (page) => {
  await page.getByLabel("Import a scenario file").setInputFiles(scenario(1000, 1));
  await card(page, "node-0010").waitFor({ timeout: 60_000 });
  assert.equal(await page.locator(".node-card").count(), 60);
  await page.getByRole("button", { name: "Show 60 more" }).click();
  assert.equal(await page.locator(".node-card").count(), 120);
  await page.getByLabel("Filter nodes").fill("node-09");
  await page.getByLabel("Filter nodes").press("End");
  assert.equal(await page.locator(".node-card").count(), 60, "node-0900 … node-0999, a page of them");
  await page.getByLabel("Filter nodes").fill("zone=z1 node-000");
  assert.equal(await page.locator(".node-card").count(), 3, "node-0001, node-0004, node-0007");
  await page.getByLabel("Filter nodes").fill("");
  await page.getByLabel("Show nodes").selectOption("without");
  await card(page, "node-0010").waitFor();
  assert.equal(await page.locator(".node-card").count(), 60, "every tenth node: 100, a page shown");
  // Untick its taint: it gets a pod, so it leaves this filtered list.
  await card(page, "node-0010").getByRole("checkbox", { name: "dedicated=infra:NoSchedule" }).click();
  await card(page, "node-0010").waitFor({ state: "detached" });
  await shot(page, "nodes-1000");
}));

test("the seed article's walkthrough runs step by step, slips included", () => withPage(async (page) => {
  await pickExample(page, "seed-walkthrough");
  await page.getByText("Steps (0 of").waitFor();
  const next = page.getByRole("button", { name: "Run next step" });
  for (let i = 0; i < 12; i++) await next.click();
  // The list follows the tour: the next step is in view inside it.
  const inView = await page.evaluate(() => {
    const list = document.querySelector(".steps ol").getBoundingClientRect();
    const step = document.querySelector(".step.next").getBoundingClientRect();
    return step.top >= list.top && step.bottom <= list.bottom;
  });
  assert.ok(inView, "the next step is scrolled into view");
  while (await next.isVisible()) await next.click();
  await page.getByRole("button", { name: "All steps run" }).waitFor();
  await page.locator(".console-entry.failed", { hasText: "NotFound" }).first().waitFor();
  await shot(page, "walkthrough");
}));

test("a real CNI manifest pasted into the editor loads and is applied", () => withPage(async (page) => {
  // Calico's etcd-datastore manifest (tests/corpus/real/SOURCES.md): a Secret, ConfigMaps, RBAC,
  // a Deployment and the calico-node DaemonSet, whose Secret volume has an unquoted octal
  // `defaultMode: 0400`, which kubectl reads as 256.
  const bundle = readFileSync(join(import.meta.dirname, "../corpus/real/daemonsets/networking/calico-etcd.yaml"), "utf8");
  // Put the text in as a paste does: one input event (Playwright's fill types it in through the
  // editing commands, which takes Chromium minutes for 236 KB).
  const started = Date.now();
  await page.getByRole("textbox", { name: /^Workloads/ }).evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, bundle);
  // Warnings (set aside) but no error.
  await page.locator(".diagnostics .diag-msg", { hasText: "it was set aside" }).first().waitFor();
  assert.equal(await page.locator(".gutter .mark-error").count(), 0);
  assert.ok(Date.now() - started < 5000, `the paste took ${Date.now() - started} ms to show`);
  await page.getByRole("button", { name: "Apply changes (kubectl apply)" }).click();
  await page.locator(".console-entry", { hasText: "daemonset.apps/calico-node created" }).waitFor();
  await settle(page);
  const yaml = await run(page, "kubectl get ds calico-node -n kube-system -o yaml");
  assert.match(await yaml.textContent(), /defaultMode: 256/);
  const get = await run(page, "kubectl get ds -n kube-system");
  assert.match(await get.textContent(), /calico-node\s+\d+\s+\d+/);
  await shot(page, "paste-real-bundle");
}));
