// Sharing: a permalink opens the same scenario at the same moment; hostile or broken links are
// shown as an error over the default example; the docs page embeds two playgrounds in iframes;
// the JavaScript API example page works; the site works from any folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { serve, openBrowser, SITE_DIR, OUT_DIR } from "./harness.mjs";
import { card, badgeIs, settle, pickExample, shot } from "./helpers.mjs";

let server;
before(async () => { server = await serve(); });
after(() => server?.stop());

const fragment = (json) => "s=" + deflateRawSync(Buffer.from(json)).toString("base64url");

async function open(url, viewport) {
  const b = await openBrowser(viewport);
  await b.page.goto(url);
  return b;
}

test("a permalink opens the same scenario, step and moment", async () => {
  const a = await open(server.url);
  let url;
  const badges = {};
  try {
    await card(a.page, "worker-1").waitFor();
    await pickExample(a.page, "rolling-update");
    await card(a.page, "node-6").waitFor();
    await a.page.getByRole("button", { name: "Run next step" }).click(); // sleep 10s
    await a.page.getByRole("button", { name: "Run next step" }).click(); // set image
    await settle(a.page);
    await a.page.getByRole("slider", { name: "Timeline" }).fill("14000");
    await a.page.getByText("Looking back").waitFor();
    for (let i = 1; i <= 6; i++) badges[`node-${i}`] = await card(a.page, `node-${i}`).locator(".badge").textContent();
    await a.page.getByRole("button", { name: "Copy link" }).click();
    url = await a.page.getByRole("textbox", { name: "permalink" }).inputValue();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]+&t=14000$/);
    assert.deepEqual(a.problems, []);
  } finally {
    await a.context.close();
  }
  const b = await open(url);
  try {
    await card(b.page, "node-6").waitFor();
    await b.page.getByText("Steps (2 of 4)").waitFor();
    await b.page.getByText("Looking back").waitFor();
    await b.page.getByLabel("virtual time").getByText(/^0:14\.0 \//).waitFor();
    for (const [node, text] of Object.entries(badges)) await badgeIs(b.page, node, text);
    // The link is read once: the address bar drops it, and a reload restores the work saved since.
    assert.equal(new URL(b.page.url()).hash, "");
    await b.page.getByRole("button", { name: "Back to the present" }).click();
    await b.page.reload();
    await b.page.getByText("Steps (2 of 4)").waitFor();
    await shot(b.page, "permalink");
    assert.deepEqual(b.problems, []);
  } finally {
    await b.context.close();
  }
});

test("a hostile link is shown as text, a broken one as an error over the default example", async () => {
  const evil = JSON.stringify({
    format: 1,
    editors: { "workloads.yaml": "<img src=x onerror=\"window.__pwned=1\">", "cluster.yaml": "" },
    start: [["workloads.yaml", "<script>window.__pwned=1</script>\nkind: <b>x</b>"]],
    lines: [{ line: "kubectl get pods <img src=x onerror=window.__pwned=1>" }],
  });
  const a = await open(`${server.url}#${fragment(evil)}`);
  try {
    await a.page.locator(".console-line", { hasText: "<img src=x onerror=window.__pwned=1>" }).waitFor();
    const text = await a.page.getByRole("textbox", { name: /^Workloads/ }).inputValue();
    assert.equal(text, "<img src=x onerror=\"window.__pwned=1\">");
    assert.equal(await a.page.locator("img").count(), 0, "no element was made from the link's text");
    assert.equal(await a.page.evaluate(() => window.__pwned), undefined);
    await shot(a.page, "hostile-link");
  } finally {
    await a.context.close();
  }
  for (const [frag, why] of [
    ["s=AAAA", /the link is damaged: its data does not decompress/],
    ["s=%%%", /not base64url/],
    [fragment('{"format":1,"editors":{},"start":[],"sneaky":1}'), /unknown field `sneaky`/],
    [fragment(" ".repeat(40 << 20)), /holds more than 4 MB/],
  ]) {
    const b = await open(`${server.url}#${frag}`);
    try {
      await b.page.getByRole("alert").getByText(why).waitFor();
      await b.page.getByRole("alert").getByText(/This link could not be opened: .* Nothing was changed\./).waitFor();
      await card(b.page, "worker-1").waitFor();
      assert.equal(await b.page.evaluate(() => window.__pwned), undefined);
      assert.deepEqual(b.problems, []);
    } finally {
      await b.context.close();
    }
  }
});

test("opening a link keeps the work it replaces, to restore in one click", async () => {
  const { context, page, problems } = await open(server.url);
  try {
    await card(page, "gpu-1").getByRole("button", { name: "Cordon" }).click();
    await pickExample(page, "control-plane");
    await card(page, "control-plane-1").waitFor();
    await page.getByRole("button", { name: "Copy link" }).click();
    const url = await page.getByRole("textbox", { name: "permalink" }).inputValue();
    await pickExample(page, "logging-agent");
    await card(page, "gpu-1").getByRole("button", { name: "Cordon" }).click();
    await card(page, "gpu-1").getByText("SchedulingDisabled").waitFor();
    // A new tab on the link: the shared scenario opens, and the work it replaced is kept.
    const other = await context.newPage();
    await other.goto(url);
    await card(other, "control-plane-1").waitFor();
    await other.getByRole("button", { name: "Restore my previous scenario" }).click();
    await card(other, "gpu-1").getByText("SchedulingDisabled").waitFor();
    // Pasting a link into the open page opens it too.
    await other.evaluate((u) => { location.hash = new URL(u).hash; }, url);
    await card(other, "control-plane-1").waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the docs page embeds two playgrounds that leave the reader's own work alone", async () => {
  const { context, page, problems } = await openBrowser({ width: 1200, height: 900 });
  try {
    // The reader's own playground, saved in this browser.
    await page.goto(server.url);
    await card(page, "worker-1").getByRole("button", { name: "Cordon" }).click();
    await page.goto(`${server.url}docs.html`);
    const tour = page.frameLocator('iframe[title="NoSchedule versus NoExecute"]');
    await tour.getByRole("group", { name: "node worker-1" }).waitFor();
    assert.equal(await tour.getByRole("heading", { name: "DaemonSet Playground" }).count(), 0, "no page header");
    assert.equal(await tour.getByRole("region", { name: "events" }).count(), 0, "only the panels asked for");
    assert.ok(await tour.getByRole("button", { name: "Cordon" }).first().isDisabled(), "read-only");
    await tour.getByRole("button", { name: "Run next step" }).click();
    await tour.getByText("Steps (1 of").waitFor();
    // The way out carries the embed's state: the same page, without ?embed, with a permalink.
    const out = tour.getByRole("link", { name: "Open in the full playground ↗" });
    await out.hover();
    const href = await out.getAttribute("href");
    assert.match(href, /^http:\/\/127\.0\.0\.1:\d+\/index\.html#s=[A-Za-z0-9_-]+$/);

    const rollout = page.frameLocator('iframe[title="A rolling update"]');
    await rollout.getByRole("region", { name: "DaemonSets" }).waitFor();
    await rollout.getByRole("button", { name: "❚❚ Pause" }).waitFor(); // autoplay
    await rollout.locator(".node-grid .pod-rev", { hasText: "rev 2" }).first().waitFor();
    await page.screenshot({ path: join(OUT_DIR, "docs-embeds.png"), fullPage: true });

    await page.goto(server.url);
    await card(page, "worker-1").getByText("SchedulingDisabled").waitFor();
    // Following the way out opens the embed's scenario in the full page.
    await page.goto(href);
    await page.getByText("Steps (1 of 9)").waitFor();
    await page.getByRole("heading", { name: "DaemonSet Playground" }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the JavaScript API example page drives the simulator without Yew", async () => {
  const { context, page, problems } = await open(`${server.url}jsapi.html`);
  try {
    await page.getByRole("table", { name: "nodes" }).getByText("worker-1").waitFor();
    await page.getByRole("button", { name: "Run, then settle" }).click();
    await page.getByLabel("output").getByText("node/worker-1 tainted").waitFor();
    const row = page.getByRole("row").filter({ hasText: "worker-1" });
    assert.equal(await row.locator("td").nth(1).textContent(), "—", "the NoExecute taint evicted the pod");
    await page.getByLabel("Example").selectOption("missing-priority-class"); // jsapi.html's own select
    await page.getByRole("table", { name: "nodes" }).getByText("node-1").waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the site works from any folder of a static host", async () => {
  const root = mkdtempSync(join(tmpdir(), "dsp-host-"));
  mkdirSync(join(root, "docs", "tools"), { recursive: true });
  symlinkSync(SITE_DIR, join(root, "docs", "tools", "playground"));
  const sub = await serve(root);
  try {
    const { context, page, problems } = await open(`${sub.url}docs/tools/playground/`);
    try {
      await card(page, "worker-1").waitFor();
      assert.equal(await page.title(), "DaemonSet Playground");
      await page.goto(`${sub.url}docs/tools/playground/jsapi.html`);
      await page.getByRole("table", { name: "nodes" }).getByText("worker-1").waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  } finally {
    sub.stop();
  }
});
