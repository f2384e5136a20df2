// Card-template conformance: Doberman's template engine against Microsoft's adaptivecards-templating.
// Every template in cards/ with each of its examples (cards/examples/<name>.json, <name>.<case>.json), and each
// case in card-cases.json, is expanded by both (Doberman through `doberman card render`); both must give the
// same JSON, or both fail. Expanded cards (type AdaptiveCard) are then parsed by Microsoft's adaptivecards
// library for schema 1.5 and must raise no parse or validation event, nor the problems that library does not
// flag (an empty FactSet, an Image without url, an action without title).
// Usage: node cards.mjs path/to/doberman. Prints one line per case and "N passed, M failed".
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { cardProblems } from "./card-check.mjs";

const require = createRequire(import.meta.url);
const ACT = require("adaptivecards-templating");

const doberman = process.argv[2];
if (!doberman) {
  console.error("usage: node cards.mjs path/to/doberman");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const cardsDir = join(here, "..", "..", "cards");
const cards = readdirSync(cardsDir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
const examples = readdirSync(join(cardsDir, "examples")).filter((f) => f.endsWith(".json")).sort();
// The templates' fixed words in each language (`$root.t`), as Doberman gives them to every card.
const labels = Object.fromEntries(
  ["en-US", "ko-KR"].map((locale) => [
    locale,
    JSON.parse(execFileSync(doberman, ["card", "labels", "--locale", locale], { encoding: "utf8" })),
  ]),
);
const cardCases = [];
for (const name of cards) {
  const mine = examples.filter((f) => f === `${name}.json` || (f.startsWith(`${name}.`) && f.split(".").length === 3));
  if (mine.length === 0) cardCases.push({ name: `cards/${name}.json has an example`, missingExample: true });
  for (const example of mine) {
    for (const locale of ["en-US", "ko-KR"]) {
      cardCases.push({
        name: `cards/${name}.json with examples/${example} in ${locale}`,
        template: JSON.parse(readFileSync(join(cardsDir, `${name}.json`), "utf8")),
        data: JSON.parse(readFileSync(join(cardsDir, "examples", example), "utf8")),
        locale,
        mustBeCard: true,
      });
    }
  }
}
const unmatched = examples.filter((f) => !cards.includes(f.split(".")[0]));
const { cases: expressionCases } = JSON.parse(readFileSync(join(here, "card-cases.json"), "utf8"));
const cases = [...cardCases, ...expressionCases];
const work = mkdtempSync(join(tmpdir(), "doberman-cards-"));

/** JSON with object keys sorted, so key order does not count. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Same verdict: both failed, or both gave the same JSON. */
function agree(ours, theirs) {
  if (ours.error !== undefined || theirs.error !== undefined) return ours.error !== undefined && theirs.error !== undefined;
  return canonical(ours.value) === canonical(theirs.value);
}

function microsoft(template, data) {
  try {
    return { value: new ACT.Template(template).expand({ $root: data }) };
  } catch (e) {
    return { error: e.message };
  }
}

function ours(template, data, i, locale) {
  const t = join(work, `t${i}.json`);
  const d = join(work, `d${i}.json`);
  writeFileSync(t, JSON.stringify(template));
  writeFileSync(d, JSON.stringify(data));
  try {
    const out = execFileSync(doberman, ["card", "render", "--template", t, "--data", d, "--locale", locale ?? "en-US"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, RUST_BACKTRACE: "0" },
    });
    return { value: JSON.parse(out) };
  } catch (e) {
    return { error: (e.stderr || e.message).trim().slice(0, 300) };
  }
}

let passed = 0;
let failed = 0;
function report(ok, name, detail) {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

// The harness must catch a wrong engine: a deliberately mutated result has to be reported as a difference.
{
  const good = microsoft({ v: "${n}" }, { n: 5 });
  const mutated = { value: { v: 6 } };
  const failedBoth = { error: "x" };
  report(agree(good, good) && !agree(mutated, good) && !agree(failedBoth, good) && !agree(good, failedBoth),
    "harness self-test: a mutated or failed result is a difference");
}

report(unmatched.length === 0, "every example belongs to a card", unmatched.join(", "));
{
  const en = Object.keys(labels["en-US"]).sort();
  const ko = Object.keys(labels["ko-KR"]).sort();
  report(
    en.length > 20 && JSON.stringify(en) === JSON.stringify(ko),
    `the templates' fixed words exist in both languages (${en.length})`,
  );
  const used = new Set(
    cards.flatMap((n) => [...readFileSync(join(cardsDir, `${n}.json`), "utf8").matchAll(/\$root\.t\.([a-z0-9_]+)/g)].map((m) => m[1])),
  );
  const missing = [...used].filter((k) => !(k in labels["en-US"]));
  report(missing.length === 0, `every fixed word a template uses is in the catalogs (${used.size})`, missing.join(", "));
}

cases.forEach((c, i) => {
  if (c.missingExample) return report(false, c.name, "add cards/examples/<name>.json");
  // Microsoft's engine gets the labels in the data, as Doberman's own rendering adds them.
  const theirs = microsoft(c.template, c.locale ? { ...c.data, t: labels[c.locale] } : c.data);
  const mine = ours(c.template, c.data, i, c.locale);
  const detail = `Microsoft ${JSON.stringify(theirs)}, Doberman ${JSON.stringify(mine)}`;
  const same = agree(mine, theirs);
  if (same && c.mustBeCard && mine.value?.type !== "AdaptiveCard") {
    report(false, c.name, "does not expand to an AdaptiveCard");
  } else if (same && mine.value && mine.value.type === "AdaptiveCard") {
    const problems = cardProblems(mine.value);
    report(problems.length === 0, `${c.name} (and Microsoft's parser accepts the card)`, problems.join("; "));
  } else {
    report(same, c.name, detail);
  }
});

console.log(`cards: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
