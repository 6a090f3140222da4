// Shared pieces of the end-to-end tests: serve the built site, start Chromium, collect problems.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const SITE_DIR = resolve(here, process.env.SITE_DIR ?? "../../dist");
export const OUT_DIR = join(here, "out");
mkdirSync(OUT_DIR, { recursive: true });

/** Serve `dir` (SITE_DIR by default) on a free loopback port with Python's http.server;
 * resolves to { url, stop }. */
export function serve(dir = SITE_DIR) {
  return new Promise((ok, fail) => {
    const p = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => fail(new Error("http.server did not start in 10 s")), 10_000);
    p.stdout.on("data", (d) => {
      const m = /port (\d+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        ok({ url: `http://127.0.0.1:${m[1]}/`, stop: () => p.kill() });
      }
    });
    p.on("error", fail);
  });
}

export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** A fresh Chromium profile and page; `problems` collects console errors and failed requests. */
export async function openBrowser(viewport = { width: 1400, height: 1000 }) {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "dsp-e2e-")), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  // No request may leave the machine: everything the page needs is in the site folder.
  context.on("request", (r) => {
    const u = new URL(r.url());
    if (!["127.0.0.1", "localhost"].includes(u.hostname) && !["data:", "blob:"].includes(u.protocol)) {
      problems.push(`request left the page: ${r.url()}`);
    }
  });
  return { context, page, problems };
}
