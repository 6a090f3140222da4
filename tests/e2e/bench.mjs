// Page benchmarks (not tests): how soon the page is interactive, how long a taint toggle takes
// to repaint at 1,000 nodes, and how the page keeps up while a 5,000-node rollout plays.
// Run: scripts/bench-web.sh (builds the site first). Prints the figures; nothing is asserted.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve, openBrowser, OUT_DIR } from "./harness.mjs";
import { scenario } from "./helpers.mjs";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await serve();
const figures = {};
try {
  // 1. Navigation to the first node card, on a fresh profile each time.
  const loads = [];
  for (let i = 0; i < 3; i++) {
    const { context, page } = await openBrowser();
    const t0 = Date.now();
    await page.goto(server.url);
    await page.getByRole("group", { name: "node worker-1" }).waitFor();
    loads.push(Date.now() - t0);
    await context.close();
  }
  figures.interactiveMs = median(loads);

  // 2. A taint toggle at 1,000 nodes: click to repaint.
  {
    const { context, page } = await openBrowser();
    await page.goto(server.url);
    await page.getByRole("group", { name: "node worker-1" }).waitFor();
    const t0 = Date.now();
    await page.getByLabel("Import a scenario file").setInputFiles(scenario(1000, 1));
    await page.getByRole("group", { name: "node node-0010" }).waitFor({ timeout: 120_000 });
    figures.import1000Ms = Date.now() - t0;
    const times = [];
    for (let i = 0; i < 6; i++) {
      times.push(await page.evaluate(async () => {
        const box = document.querySelector('[aria-label="node node-0010"] input[type=checkbox]');
        const before = document.querySelectorAll(".console-line").length;
        const t = performance.now();
        box.click();
        await new Promise((ok) => {
          const check = () => (document.querySelectorAll(".console-line").length > before ? ok() : requestAnimationFrame(check));
          check();
        });
        return performance.now() - t;
      }));
    }
    figures.taintToggle1000Ms = { median: Math.round(median(times)), all: times.map(Math.round) };
    await context.close();
  }

  // 3. Playing a 5,000-node rollout: the longest stall of the page while it plays for 15 s.
  {
    const { context, page } = await openBrowser();
    await page.goto(server.url);
    await page.getByRole("group", { name: "node worker-1" }).waitFor();
    const t0 = Date.now();
    await page.getByLabel("Import a scenario file").setInputFiles(scenario(5000, "10%"));
    await page.getByRole("group", { name: "node node-0010" }).waitFor({ timeout: 300_000 });
    figures.import5000Ms = Date.now() - t0;
    await page.getByRole("button", { name: "Run until settled" }).click();
    await page.getByText("settled: nothing scheduled").waitFor({ timeout: 300_000 });
    await page.getByLabel("new image").fill("agent:2");
    const t1 = Date.now();
    await page.getByRole("button", { name: "Set image", exact: true }).click();
    await page.locator(".revisions tbody tr").nth(1).waitFor({ timeout: 300_000 });
    figures.setImage5000Ms = Date.now() - t1;
    await page.getByLabel("Speed").selectOption("30");
    await page.getByRole("button", { name: "▶ Play" }).click();
    const r = await page.evaluate(async () => {
      let last = performance.now();
      let worst = 0;
      const end = last + 15_000;
      while (performance.now() < end) {
        await new Promise((ok) => requestAnimationFrame(ok));
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }
      return { worstFrameGapMs: Math.round(worst), clock: document.querySelector(".timeline .clock").textContent };
    });
    figures.rollout5000 = r;
    await context.close();
  }
} finally {
  server.stop();
}
console.log(JSON.stringify(figures, null, 2));
writeFileSync(join(OUT_DIR, "bench.json"), JSON.stringify(figures, null, 2));
