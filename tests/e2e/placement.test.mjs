// The placement explainer as a person uses it: load, read verdicts, toggle a taint, edit YAML,
// see a located error, reload without losing work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve, openBrowser, OUT_DIR } from "./harness.mjs";

let server;
before(async () => { server = await serve(); });
after(() => server?.stop());

const card = (page, node) => page.getByRole("group", { name: `node ${node}` });

test("load, toggle a taint, edit YAML, reload", async () => {
  const { context, page, problems } = await openBrowser();
  try {
    await page.goto(server.url);
    await card(page, "small-1").waitFor();

    // The default example: verdicts in the scheduler's own words.
    await assert.doesNotReject(card(page, "control-plane-1").getByText("Running", { exact: true }).waitFor());
    await card(page, "small-1").getByText("Pending", { exact: true }).waitFor();
    const pendingMsg = await card(page, "small-1").locator(".event-msg").textContent();
    assert.match(pendingMsg, /^0\/5 nodes are available: 1 Insufficient memory, 4 node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]\./);
    await card(page, "gpu-1").getByText("no pod", { exact: true }).waitFor();
    const desired = page.locator(".ds-table tbody td").nth(2);
    assert.equal(await desired.textContent(), "4");

    // Untick the GPU taint: the controller now targets that node too.
    const toggle = card(page, "gpu-1").getByRole("checkbox", { name: "nvidia.com/gpu=present:NoSchedule" });
    await toggle.uncheck();
    await card(page, "gpu-1").getByText("Running", { exact: true }).waitFor();
    assert.equal(await desired.textContent(), "5");
    await page.screenshot({ path: join(OUT_DIR, "placement-taint-off.png"), fullPage: true });

    // Tick it again, then open the explanation: the controller names the taint.
    await toggle.check();
    await card(page, "gpu-1").getByText("no pod", { exact: true }).waitFor();
    await card(page, "gpu-1").getByText("Why?").click();
    await card(page, "gpu-1").getByText("nvidia.com/gpu=present:NoSchedule: no toleration matches").waitFor();

    // Edit the DaemonSet: tolerate every taint; the GPU node now gets a pod.
    const workloads = page.getByRole("textbox", { name: "Workloads (DaemonSets, PriorityClasses, Pods)" });
    const text = await workloads.inputValue();
    await workloads.fill(text.replace("      tolerations:\n", "      tolerations:\n        - operator: Exists\n"));
    await card(page, "gpu-1").getByText("Running", { exact: true }).waitFor();

    // Break it: a typo in an effect is located at its line with the API server's words.
    const broken = (await workloads.inputValue()).replace("effect: NoSchedule", "effect: NoScheduel");
    await workloads.fill(broken);
    const line = broken.split("\n").findIndex((l) => l.includes("NoScheduel")) + 1;
    await page.locator(".gutter .mark-error").first().waitFor();
    assert.equal(await page.locator(".gutter .mark-error").first().textContent(), String(line));
    const problem = await page.locator(".diagnostics .diag-msg").first().textContent();
    assert.match(problem, /^The DaemonSet "log-agent" is invalid: spec\.template\.spec\.tolerations\[1\]\.effect: Unsupported value: "NoScheduel": supported values: /);
    await page.screenshot({ path: join(OUT_DIR, "placement-error.png"), fullPage: true });

    // Reload: the edited text is still there.
    await page.reload();
    await page.locator(".gutter .mark-error").first().waitFor();
    assert.ok((await workloads.inputValue()).includes("NoScheduel"));

    // Reset brings the example back.
    await page.getByRole("button", { name: "Reset to example" }).click();
    await card(page, "small-1").getByText("Pending", { exact: true }).waitFor();
    assert.ok(!(await workloads.inputValue()).includes("NoScheduel"));
    await page.screenshot({ path: join(OUT_DIR, "placement.png"), fullPage: true });

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a phone-sized screen stacks the panels", async () => {
  const { context, page, problems } = await openBrowser({ width: 390, height: 844 });
  try {
    await page.goto(server.url);
    await card(page, "small-1").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: join(OUT_DIR, "phone.png"), fullPage: false });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the console runs kubectl against the simulated cluster", async () => {
  const { context, page, problems } = await openBrowser();
  try {
    await page.goto(server.url);
    await card(page, "small-1").waitFor();
    const input = page.getByRole("textbox", { name: "kubectl command" });
    await input.fill("sleep 30s");
    await input.press("Enter");
    await input.fill("kubectl get pods -n kube-system -o wide");
    await input.press("Enter");
    const out = page.locator(".console-out").last();
    await out.waitFor();
    const text = await out.textContent();
    assert.match(text, /^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE/);
    assert.match(text, /log-agent-\w{5} +0\/1 +Pending +0 +30s +<none> +<none>/, "the pod for small-1 stays Pending");
    await input.fill("kubectl describe pod nope -n kube-system");
    await input.press("Enter");
    await page.getByText('Error from server (NotFound): pods "nope" not found').waitFor();
    await page.getByLabel("kubectl console").screenshot({ path: join(OUT_DIR, "console.png") });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
