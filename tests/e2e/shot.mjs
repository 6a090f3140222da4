// Screenshots for looking at the page by hand: node shot.mjs [width height] [actions...]
import { serve, openBrowser, OUT_DIR } from "./harness.mjs";
import { pickExample } from "./helpers.mjs";
import { join } from "node:path";
const [w, h] = [Number(process.argv[2] ?? 1400), Number(process.argv[3] ?? 1000)];
const server = await serve();
const { context, page, problems } = await openBrowser({ width: w, height: h });
try {
  const t0 = Date.now();
  await page.goto(server.url);
  await page.getByRole("group", { name: /^node / }).first().waitFor();
  console.log("first card after", Date.now() - t0, "ms");
  for (const a of process.argv.slice(4)) {
    if (a === "settle") await page.getByRole("button", { name: "Run until settled" }).click();
    else if (a.startsWith("example=")) await pickExample(page, a.slice(8));
    else if (a.startsWith("steps=")) for (let i = 0; i < Number(a.slice(6)); i++) await page.getByRole("button", { name: "Run next step" }).click();
    else if (a.startsWith("run=")) { const i = page.getByRole("textbox", { name: "kubectl command" }); await i.fill(a.slice(4)); await i.press("Enter"); }
    else if (a === "step") await page.getByRole("button", { name: "Run next step" }).click();
    else if (a.startsWith("wait=")) await page.waitForTimeout(Number(a.slice(5)));
    else if (a === "play") await page.getByRole("button", { name: "▶ Play" }).click();
  }
  await page.screenshot({ path: join(OUT_DIR, `shot-${w}.png`), fullPage: true });
  console.log(problems.join("\n") || "no problems");
} finally {
  await context.close();
  server.stop();
}
