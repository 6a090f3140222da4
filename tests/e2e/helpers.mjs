// Page helpers shared by the end-to-end tests: find cards, run console lines, read badges.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { OUT_DIR } from "./harness.mjs";

export const card = (page, node) => page.getByRole("group", { name: `node ${node}` });
export const badge = (page, node) => card(page, node).locator(".badge");

/** Wait until a node card's badge reads `text`. */
export async function badgeIs(page, node, text) {
  await card(page, node).locator(".badge", { hasText: new RegExp(`^${text}$`) }).waitFor();
}

export async function settle(page) {
  const button = page.getByRole("button", { name: "Run until settled" });
  if (await button.isEnabled()) await button.click();
  await page.getByText("settled: nothing scheduled").waitFor();
}

export async function run(page, line) {
  const input = page.getByRole("textbox", { name: "kubectl command" });
  await input.fill(line);
  await input.press("Enter");
  await page.locator(".console-line", { hasText: `$ ${line}` }).last().waitFor();
  return page.locator(".console-entry").last();
}

/** Open a lesson or example from the gallery (opening the gallery first if it is closed). */
export async function pickExample(page, id) {
  const entry = page.locator(`[data-example="${id}"]`);
  if (!(await entry.isVisible())) await page.getByRole("button", { name: "Lessons & examples" }).click();
  await entry.click();
  await page.locator(".gallery").waitFor({ state: "detached" });
}

export const shot = (page, name) => page.screenshot({ path: join(OUT_DIR, `${name}.png`), fullPage: true });

/** A scenario file (as Export writes it) with one DaemonSet over `nodes` generated nodes; every
 * tenth node has a taint the DaemonSet does not tolerate. Returns its path. */
export function scenario(nodes, maxUnavailable) {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: ${JSON.stringify(maxUnavailable)}}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "agent:1", resources: {requests: {cpu: 50m, memory: 64Mi}}}]
`;
  let cluster = "apiVersion: playground.daemonset.dev/v1alpha1\nkind: Scenario\nspec: {seed: 1, timing: {pullSeconds: 2, startSeconds: 1, stopSeconds: 1}}\n---\napiVersion: v1\nkind: List\nitems:\n";
  for (let i = 1; i <= nodes; i++) {
    const name = `node-${String(i).padStart(4, "0")}`;
    const taint = i % 10 === 0 ? ", spec: {taints: [{key: dedicated, value: infra, effect: NoSchedule}]}" : "";
    cluster += `- {apiVersion: v1, kind: Node, metadata: {name: ${name}, labels: {zone: z${i % 3}}}${taint}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "110"}}}\n`;
  }
  const saved = { format: 1, editors: { "workloads.yaml": ds, "cluster.yaml": cluster }, start: [["workloads.yaml", ds], ["cluster.yaml", cluster]], steps: [], lines: [] };
  const file = join(OUT_DIR, `bench-${nodes}.json`);
  writeFileSync(file, JSON.stringify(saved));
  return file;
}
