// The course in Chromium: every lesson runs to its end with each step's output shown under the
// step; exercises are checked live; switching scenarios, Reset and Restart keep work restorable;
// axe-core finds no violation on the four pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { serve, openBrowser } from "./harness.mjs";
import { card, pickExample, run, shot } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

let server;
before(async () => { server = await serve(); });
after(() => server?.stop());

async function withPage(fn, viewport) {
  const { context, page, problems } = await openBrowser(viewport);
  try {
    await page.goto(server.url);
    await page.getByRole("group", { name: /^node / }).first().waitFor();
    await fn(page);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

/** Run every step of the open lesson; returns the outputs' texts. */
async function runAllSteps(page) {
  const next = page.getByRole("button", { name: "Run next step" });
  const total = Number((await page.locator(".steps h2").textContent()).match(/of (\d+)/)[1]);
  for (let i = 1; i <= total; i++) {
    const line = await page.locator(".step.next .step-line").textContent();
    await next.click();
    // A kubectl edit step opens the editor panel: close it unchanged.
    if (line.includes("kubectl edit")) await page.getByRole("button", { name: "Cancel (close without saving)" }).click();
    // The output appears right under the step that ran.
    await page.getByLabel(`output of step ${i}`).waitFor();
  }
  await page.getByRole("button", { name: "All steps run" }).waitFor();
  return page.locator(".step-output").allTextContents();
}

// What each lesson's page must show once its steps ran: a phrase of some step's output, the
// slips that fail (shown in red), and whether an exercise closes it.
const LESSONS = [
  ["lesson-1-first-daemonset", "deleted from kube-system namespace", 0, false],
  ["lesson-2-node-selection", "node/node2 labeled", 0, true],
  ["lesson-3-taints-tolerations", "Marking for deletion Pod", 0, true],
  ["lesson-4-cordon-drain", "node/node1 drained", 1, false],
  ["lesson-5-nodes-come-and-go", "garbage-collected", 0, true],
  ["lesson-6-rolling-updates", "successfully rolled out", 2, false],
  ["lesson-7-history-rollback", "rolled back", 2, false],
  ["lesson-8-ondelete", "only available for RollingUpdate", 1, true],
  ["lesson-9-priority-class", "no PriorityClass with name high-priority was found", 1, true],
  ["lesson-10-preemption", "Preempted by pod", 0, false],
  ["lesson-11-troubleshooting", "Edit cancelled, no changes made.", 0, true],
];

for (const [id, phrase, slips, exercise] of LESSONS) {
  test(`${id} runs to its end, each step's output under it`, () => withPage(async (page) => {
    await pickExample(page, id);
    const outputs = await runAllSteps(page);
    assert.ok(outputs.some((o) => o.includes(phrase)), `some step shows ${phrase}`);
    assert.equal(await page.locator(".step-output.failed").count(), slips, "the article's slips fail, nothing else");
    assert.equal(await page.getByRole("region", { name: "exercise" }).isVisible(), exercise);
    const nextLesson = page.getByRole("button", { name: /^Next lesson:/ });
    assert.equal(await nextLesson.isVisible(), id !== "lesson-11-troubleshooting");
    await shot(page, `course-${id}`);
  }));
}

test("an exercise is checked as the learner works, and the course goes on to the next lesson", () => withPage(async (page) => {
  await pickExample(page, "lesson-2-node-selection");
  await runAllSteps(page);
  const ex = page.getByRole("region", { name: "exercise" });
  await ex.getByText("Not done yet").waitFor();
  await run(page, "kubectl label nodes gpu-2 accelerator=nvidia-tesla-t4");
  await run(page, "sleep 10s");
  await ex.getByText("✓ Done").waitFor();
  await shot(page, "course-exercise-done");
  await page.getByRole("button", { name: /^Next lesson: 3\./ }).click();
  await page.getByText("Steps (0 of").waitFor();
  await card(page, "control-plane-1").waitFor();
}));

test("kubectl edit opens the live object, saves it, and reopens a refused save with the reasons", () => withPage(async (page) => {
  const input = page.getByRole("textbox", { name: "kubectl command" });
  const editor = page.getByRole("textbox", { name: "kubectl edit" });
  const setText = (t) => editor.evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, t);
  await input.fill("kubectl edit ds log-agent -n kube-system");
  await input.press("Enter");
  const original = await editor.inputValue();
  assert.ok(original.startsWith("# Please edit the object below."), original.slice(0, 80));
  // An image that is empty is refused: the file comes back with the reasons on top.
  await setText(original.replace(/image: .*/, 'image: ""'));
  await page.getByRole("button", { name: "Save and close the editor" }).click();
  await page.getByText("The API server refused the last save").waitFor();
  assert.match(await editor.inputValue(), /# daemonsets.apps "log-agent" was not valid:\n# \* spec.template.spec.containers\[0\].image: Required value/);
  await shot(page, "kubectl-edit-refused");
  // Fixed and saved: kubectl's "edited", and a new revision rolls out.
  await setText((await editor.inputValue()).replace('image: ""', "image: fluent/fluentd:v1.18"));
  await page.getByRole("button", { name: "Save and close the editor" }).click();
  await page.locator(".console-entry", { hasText: "daemonset.apps/log-agent edited" }).waitFor();
  await page.locator(".pod .pod-rev", { hasText: "rev 2" }).first().waitFor();
}));

test("switching scenarios, Reset and Restart keep the replaced work restorable", () => withPage(async (page) => {
  // Card buttons are named with their node for screen readers.
  await page.getByRole("button", { name: "Why? worker-1", exact: true }).waitFor();
  await run(page, "kubectl label nodes worker-1 mine=yes");
  await pickExample(page, "control-plane");
  const restore = page.getByRole("button", { name: "Restore my previous scenario" });
  await restore.waitFor();
  await restore.click();
  await page.locator(".console-line", { hasText: "kubectl label nodes worker-1 mine=yes" }).waitFor();
  await card(page, "worker-1").waitFor();
  // Reset, then restore again.
  await page.getByRole("button", { name: "Reset" }).click();
  await page.getByRole("button", { name: "Restore my previous scenario" }).click();
  await page.locator(".console-line", { hasText: "mine=yes" }).waitFor();
  // Starting a new cluster from the editors keeps the old one aside too.
  await page.getByRole("button", { name: "Start a new cluster from the editors" }).click();
  assert.equal(await page.locator(".console-line", { hasText: "mine=yes" }).count(), 0);
  await page.getByRole("button", { name: "Restore my previous scenario" }).click();
  await page.locator(".console-line", { hasText: "mine=yes" }).waitFor();
  // Opening a fresh example over a pristine one asks nothing.
  await pickExample(page, "gpu-affinity");
  await page.getByRole("button", { name: "Dismiss" }).click();
  await pickExample(page, "control-plane");
  assert.equal(await page.getByRole("button", { name: "Restore my previous scenario" }).count(), 0);
}));

test("an embed with autoplay runs the lesson's steps", async () => {
  const { context, page, problems } = await openBrowser({ width: 900, height: 900 });
  try {
    await page.goto(`${server.url}?embed&example=rolling-update&panels=steps,timeline,nodes&autoplay&speed=30`);
    // The rollout starts without a click: autoplay ran the set image step.
    await page.getByLabel("output of step 2").waitFor({ timeout: 20_000 });
    await page.locator(".pod .pod-rev", { hasText: "rev 2" }).first().waitFor({ timeout: 20_000 });
    await shot(page, "embed-autoplay");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
}

for (const [name, path, ready] of [
  ["the main page", "", (p) => p.getByRole("group", { name: /^node / }).first().waitFor()],
  ["the embed", "?embed&example=preemption&panels=steps,timeline,nodes,events", (p) => p.getByRole("group", { name: /^node / }).first().waitFor()],
  ["docs.html", "docs.html", (p) => p.locator("iframe").first().waitFor()],
  ["jsapi.html", "jsapi.html", (p) => p.getByRole("table", { name: "nodes" }).getByText("worker-1").waitFor()],
]) {
  test(`axe-core finds no violations on ${name}`, async () => {
    const { context, page } = await openBrowser();
    try {
      // Without motion, so no chip is caught halfway through its fade-in.
      await page.emulateMedia({ reducedMotion: "reduce" });
      await page.goto(server.url + path);
      await ready(page);
      assert.deepEqual(await axe(page), []);
    } finally {
      await context.close();
    }
  });
}

test("a lesson on a phone: the steps come first, nothing is cut off", () => withPage(async (page) => {
  await pickExample(page, "lesson-1-first-daemonset");
  await page.getByRole("button", { name: "Run next step" }).click();
  await page.getByRole("button", { name: "Run next step" }).click();
  const layout = await page.evaluate(() => {
    const steps = document.querySelector(".steps").getBoundingClientRect();
    const cards = document.querySelector(".node-grid").getBoundingClientRect();
    return { stepsFirst: steps.top < cards.top, overflow: document.documentElement.scrollWidth - window.innerWidth };
  });
  assert.ok(layout.stepsFirst, "the steps come right after the header");
  assert.equal(layout.overflow, 0, "nothing sticks out sideways");
  await shot(page, "course-phone");
}, { width: 390, height: 844 }));
