// The README's screenshot tour: Doberman's main cards rendered by Microsoft's Adaptive Cards renderer
// (the `adaptivecards` package Teams' web client builds on) in headless Chromium, and Superset dashboards from
// the bundle, as PNGs in docs/screenshots/. Each card twice: in English (card-NAME.png) and in Korean
// (card-NAME.ko.png), the same command with `--locale ko-KR`. An example's Korean copy needs Korean data beside
// it (alert.ko.json beside alert.json): the template's fixed words alone would make a card half in English.
//
// Usage: node screenshots.mjs path/to/doberman [SUPERSET_URL SUPERSET_PASSWORD]
//   Chromium from Debian (/usr/bin/chromium, or CHROMIUM=path), Korean and emoji fonts (fonts-noto-cjk,
//   fonts-noto-color-emoji). For the dashboards, run `superset_check.py path/to/doberman --keep-running` first and
//   pass the URL and admin password it prints.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const [doberman, supersetUrl, supersetPassword] = process.argv.slice(2);
if (!doberman) {
  console.error("usage: node screenshots.mjs path/to/doberman [SUPERSET_URL SUPERSET_PASSWORD]");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });

// The demo store, with Superset links on, so the cards show their buttons.
const work = mkdtempSync(join(tmpdir(), "doberman-shots-"));
const env = {
  ...process.env,
  DOBERMAN_DATABASE__URL: `sqlite://${join(work, "demo.db")}`,
  DOBERMAN_SUPERSET__URL: "https://superset.example.com/",
  DOBERMAN_SCHEDULE__ENABLED: "false",
  RUST_LOG: "warn",
};
execFileSync(doberman, ["demo"], { env, stdio: ["ignore", "ignore", "inherit"] });
const cards = [
  ["help", "help"],
  ["catalog-table", "catalog table sales.orders"],
  ["catalog-search", "catalog search 주문"],
  ["top-tables", "top tables 30d"],
  ["cost", "cost"],
  ["status", "status"],
  ["requests", "requests all"],
  ["request", "request REQ-8"],
  ["airflow", "airflow"],
  ["airflow-heatmap", "airflow heatmap 30d"],
  ["checks", "checks"],
  // Alerts speak first, so no command shows them: their templates with the examples' data.
  ["alert", "@alert alert.json"],
  ["alert-resolved", "@alert alert.resolved.json"],
  ["heartbeat", "@heartbeat heartbeat.json"],
];
// Each card in both languages Doberman speaks: the locale, the page's `lang`, and the file name's suffix.
const locales = [
  ["en-US", "en", ""],
  ["ko-KR", "ko", ".ko"],
];

// Teams' look, near enough: Segoe UI where it exists, its accent and text colours, a 560 px wide chat card.
const hostConfig = {
  fontFamily: "'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', 'Noto Color Emoji', sans-serif",
  containerStyles: {
    default: {
      backgroundColor: "#FFFFFF",
      foregroundColors: {
        default: { default: "#242424", subtle: "#616161" },
        accent: { default: "#5B5FC7", subtle: "#5B5FC7" },
        good: { default: "#0E7A0B", subtle: "#0E7A0B" },
        warning: { default: "#C4314B", subtle: "#C4314B" },
        attention: { default: "#C4314B", subtle: "#C4314B" },
      },
    },
    emphasis: { backgroundColor: "#F5F5F5" },
  },
  actions: { actionsOrientation: "horizontal", buttonSpacing: 8, maxActions: 6 },
};
const renderer = readFileSync(join(here, "node_modules", "adaptivecards", "dist", "adaptivecards.min.js"), "utf8");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 640, height: 900 }, deviceScaleFactor: 1.5 });
  for (const [name, command] of cards) for (const [locale, lang, suffix] of locales) {
    let args = ["ask", "--json", "--locale", locale, ...command.split(" ")];
    if (command.startsWith("@")) {
      const [template, example] = command.slice(1).split(" ");
      const data = join(here, "..", "..", "cards", "examples", example.replace(/\.json$/, `${suffix}.json`));
      if (!existsSync(data)) {
        console.log(`skipped card-${name}${suffix}.png: no ${data}`);
        continue;
      }
      args = ["card", "render", template, "--locale", locale, "--data", data];
    }
    const card = JSON.parse(execFileSync(doberman, args, { env }).toString());
    await page.setContent(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><style>
        body { margin: 0; padding: 24px; background: #F5F5F5; font-family: ${hostConfig.fontFamily}; }
        #frame { width: 560px; border-radius: 6px; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.14);
                 padding: 4px 0; }
        .ac-pushButton { border: 1px solid #D1D1D1; border-radius: 4px; background: #fff; padding: 6px 12px;
                         font: 600 14px ${hostConfig.fontFamily}; color: #242424; }
      </style></head><body><div id="frame"></div></body></html>`,
    );
    await page.addScriptTag({ content: renderer });
    const problems = await page.evaluate(
      ([cardJson, config]) => {
        const ac = new AdaptiveCards.AdaptiveCard();
        ac.hostConfig = new AdaptiveCards.HostConfig(config);
        const context = new AdaptiveCards.SerializationContext();
        ac.parse(cardJson, context);
        document.getElementById("frame").appendChild(ac.render());
        const events = [];
        for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
        return events;
      },
      [card, hostConfig],
    );
    if (problems.length) throw new Error(`${name} (${locale}): ${problems.join("; ")}`);
    await page.evaluate(() => document.fonts.ready);
    const file = join(out, `card-${name}${suffix}.png`);
    await page.locator("#frame").screenshot({ path: file });
    console.log(`wrote ${file} (${command}, ${locale})`);
  }

  if (supersetUrl) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const sp = await context.newPage();
    const login = await sp.request.post(`${supersetUrl}/login/`, {
      form: { username: "admin", password: supersetPassword },
    });
    if (!login.ok()) throw new Error(`Superset login: ${login.status()}`);
    for (const slug of ["doberman-cost", "doberman-usage", "doberman-catalog", "doberman-requests"]) {
      await sp.goto(`${supersetUrl}/superset/dashboard/${slug}/?standalone=1`, { waitUntil: "networkidle" });
      // Every chart drawn: no loading spinner left, then a moment for the ECharts animations.
      await sp.waitForSelector(".dashboard-component-chart-holder", { timeout: 60000 });
      await sp.waitForFunction(() => document.querySelectorAll(".loading, [data-test='loading-indicator']").length === 0, null, {
        timeout: 60000,
      });
      await sp.waitForTimeout(2500);
      const errors = await sp.locator("[data-test='chart-error'], .alert-danger, .ant-alert-error").count();
      if (errors) throw new Error(`${slug}: ${errors} charts show an error`);
      const file = join(out, `superset-${slug}.png`);
      await sp.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${file}`);
    }
  }
} finally {
  await browser.close();
}
