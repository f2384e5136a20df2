// Every card as people see it, at Teams' narrow and wide widths. Microsoft's Adaptive Cards renderer (the
// `adaptivecards` package the Agents Playground's web client is built on) draws each card in headless Chromium,
// with markdown-it processing TextBlock markdown as the Playground does, raw HTML allowed (so `<name>` is taken
// for a tag, as Teams takes it). For each card and width it checks that no word or number of the card's text is
// lost (a placeholder eaten as a tag), cut off (an ellipsis on a number) or a number broken across two lines
// (`USD 2,09` / `4.12`).
//
// The cards: every template with each of its examples (cards/examples), and the answers to the README's commands
// on the demo store (`doberman demo`).
// Usage: node card-widths.mjs path/to/doberman. Needs Debian's chromium (or CHROMIUM=path) and the Noto CJK and
// emoji fonts. Prints one line per card and width and "N passed, M failed"; exits non-zero on any failure.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const doberman = process.argv[2];
if (!doberman) {
  console.error("usage: node card-widths.mjs path/to/doberman");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const cardsDir = join(here, "..", "..", "cards");

// Teams: a chat on a phone or a narrow pane is about 320 px of card; a desktop chat about 560.
const WIDTHS = [320, 560];

const work = mkdtempSync(join(tmpdir(), "doberman-widths-"));
const env = {
  PATH: process.env.PATH,
  HOME: work,
  DOBERMAN_DATABASE__URL: `sqlite://${join(work, "demo.db")}`,
  DOBERMAN_SUPERSET__URL: "https://superset.example.com/",
  DOBERMAN_SCHEDULE__ENABLED: "false",
  DOBERMAN_NAVIGATE__FILE: join(here, "..", "..", "navigate.example.toml"),
  RUST_LOG: "warn",
};
execFileSync(doberman, ["demo"], { env, stdio: ["ignore", "ignore", "inherit"] });

const cases = [];
const templates = readdirSync(cardsDir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5));
for (const example of readdirSync(join(cardsDir, "examples")).filter((f) => f.endsWith(".json")).sort()) {
  const name = example.split(".")[0];
  if (!templates.includes(name)) continue;
  cases.push([`${name} (${example})`, ["card", "render", name, "--data", join(cardsDir, "examples", example)]]);
}
for (const command of [
  "help",
  "help catalog db",
  "help top",
  "catalog table sales.orders",
  "catalog db sales",
  "catalog search 주문",
  "top tables 30d",
  "top databases",
  "cost",
  "cost last month by account",
  "cost today",
  "navigate",
  "navigate 매출",
  "status",
  "requests all",
  "request REQ-8",
  "checks",
  "check 주문: ERP vs 레이크",
  "check sales.orders",
  "subscribe nonsense",
]) {
  cases.push([command, ["ask", "--json", ...command.split(" ")]]);
}

function cardOf(args) {
  try {
    return JSON.parse(execFileSync(doberman, args, { env, stdio: ["ignore", "pipe", "ignore"] }).toString());
  } catch (e) {
    // `ask` exits 2 on a mistake card; its answer is still on stdout.
    if (e.stdout?.length) return JSON.parse(e.stdout.toString());
    throw e;
  }
}

// What a person should be able to read of a text: its words and numbers once markdown is taken off.
function expectedTokens(text) {
  const plain = text
    .replace(/<\/?at>/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\\(.)/g, "$1")
    .replace(/\*\*|__|`/g, "");
  return plain.match(/[\p{L}\p{N}][\p{L}\p{N}.,:%'’_-]*[\p{L}\p{N}%]|[\p{L}\p{N}]/gu) ?? [];
}

function texts(card) {
  const out = [];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if ((node.type === "TextBlock" || node.type === "TextRun") && typeof node.text === "string") out.push(node.text);
    if (node.type === "FactSet") for (const f of node.facts ?? []) out.push(f.title ?? "", f.value ?? "");
    for (const [key, value] of Object.entries(node)) if (key !== "actions") walk(value);
  };
  walk(card.body ?? []);
  return out;
}

const renderer = readFileSync(join(here, "node_modules", "adaptivecards", "dist", "adaptivecards.min.js"), "utf8");
const markdownIt = readFileSync(join(here, "node_modules", "markdown-it", "dist", "markdown-it.min.js"), "utf8");
const fontFamily = "'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', 'Noto Color Emoji', sans-serif";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
});
let passed = 0;
let failed = 0;
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  // Nothing but the page itself: no request leaves the machine.
  await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
  for (const [name, args] of cases) {
    const card = cardOf(args);
    const tokens = [...new Set(texts(card).flatMap(expectedTokens))];
    for (const width of WIDTHS) {
      await page.setContent(
        `<!doctype html><html><head><meta charset="utf-8"><style>
          body { margin: 0; padding: 8px; font-family: ${fontFamily}; font-size: 14px; }
          #frame { width: ${width}px; }
        </style></head><body><div id="frame"></div></body></html>`,
      );
      await page.addScriptTag({ content: markdownIt });
      await page.addScriptTag({ content: renderer });
      const seen = await page.evaluate(
        async ([cardJson, fonts]) => {
          const md = window.markdownit({ html: true, linkify: false });
          AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
            result.outputHtml = md.render(text);
            result.didProcess = true;
          };
          const ac = new AdaptiveCards.AdaptiveCard();
          ac.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: fonts });
          const context = new AdaptiveCards.SerializationContext();
          ac.parse(cardJson, context);
          const root = ac.render();
          document.getElementById("frame").appendChild(root);
          const events = [];
          for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
          // Text cut off by an ellipsis: an element narrower than its text, with a number in it.
          const cut = [];
          for (const el of root.querySelectorAll("*")) {
            const style = getComputedStyle(el);
            if (style.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1 && /\d/.test(el.textContent)) {
              cut.push(el.textContent.trim().slice(0, 60));
            }
          }
          // Figures broken across two lines (`USD 2,09` / `5.95`). A long name may wrap in a narrow column, and
          // Korean wraps between syllables as browsers and Teams do; a figure must stay whole.
          const broken = [];
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            // A figure is its digits with their separators; a line may break at a hyphen or a space, not inside.
            const re = /\d[\d.,:]*\d/g;
            for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
              if (tops.size > 1) broken.push(m[0]);
            }
          }
          // Images (the heatmap's data: URI): decoded and drawn, within the column.
          const imgs = [...root.querySelectorAll("img")];
          await Promise.all(imgs.map((img) => (img.complete ? null : new Promise((done) => {
            img.onload = done;
            img.onerror = done;
          }))));
          const images = imgs.map((img) => ({
            natural: img.naturalWidth,
            shown: Math.round(img.getBoundingClientRect().width),
            alt: img.alt,
          }));
          return { events, text: root.innerText, cut, broken, images, frame: root.getBoundingClientRect().width };
        },
        [card, fontFamily],
      );
      const shown = seen.text.replace(/\s+/g, " ");
      const lost = tokens.filter((t) => !shown.includes(t));
      const problems = [
        ...seen.events.map((e) => `renderer: ${e}`),
        ...lost.map((t) => `lost ${JSON.stringify(t)}`),
        ...seen.cut.map((t) => `cut off: ${JSON.stringify(t)}`),
        ...seen.broken.map((t) => `broken across lines: ${JSON.stringify(t)}`),
        ...seen.images.filter((i) => !(i.natural > 0 && i.shown > 0 && i.shown <= seen.frame + 1)).map(
          (i) => `image not shown (decoded ${i.natural} px wide, drawn ${i.shown} px in ${seen.frame})`,
        ),
        ...seen.images.filter((i) => !i.alt).map(() => "image without alt text"),
      ];
      if (problems.length === 0) {
        passed += 1;
        const pictures = seen.images.length ? `, ${seen.images.length} image(s) drawn ${seen.images.map((i) => i.shown).join(", ")} px` : "";
        console.log(`ok   ${name} at ${width} px (${tokens.length} words${pictures})`);
      } else {
        failed += 1;
        console.log(`FAIL ${name} at ${width} px: ${problems.slice(0, 8).join("; ")}`);
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`card widths: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
