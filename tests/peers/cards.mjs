// Card-template conformance: Doberman's template engine against Microsoft's adaptivecards-templating.
// Each case in card-cases.json is expanded by both (Doberman through `doberman card render`); both must give the
// same JSON, or both fail. Expanded cards (type AdaptiveCard) are then parsed by Microsoft's adaptivecards
// library for schema 1.5 and must raise no parse or validation event.
// Usage: node cards.mjs path/to/doberman. Prints one line per case and "N passed, M failed".
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ACT = require("adaptivecards-templating");
const AC = require("adaptivecards/dist/adaptivecards.js");

const doberman = process.argv[2];
if (!doberman) {
  console.error("usage: node cards.mjs path/to/doberman");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const { cases } = JSON.parse(readFileSync(join(here, "card-cases.json"), "utf8"));
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

function ours(template, data, i) {
  const t = join(work, `t${i}.json`);
  const d = join(work, `d${i}.json`);
  writeFileSync(t, JSON.stringify(template));
  writeFileSync(d, JSON.stringify(data));
  try {
    const out = execFileSync(doberman, ["card", "render", "--template", t, "--data", d], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, RUST_BACKTRACE: "0" },
    });
    return { value: JSON.parse(out) };
  } catch (e) {
    return { error: (e.stderr || e.message).trim().slice(0, 300) };
  }
}

/** Parse events and validation events of Microsoft's parser for schema 1.5. */
function cardProblems(card) {
  const ctx = new AC.SerializationContext();
  ctx.targetVersion = AC.Version.parse("1.5", ctx);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  const problems = [];
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  return problems;
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

cases.forEach((c, i) => {
  const theirs = microsoft(c.template, c.data);
  const mine = ours(c.template, c.data, i);
  const detail = `Microsoft ${JSON.stringify(theirs)}, Doberman ${JSON.stringify(mine)}`;
  const same = agree(mine, theirs);
  if (same && mine.value && mine.value.type === "AdaptiveCard") {
    const problems = cardProblems(mine.value);
    report(problems.length === 0, `${c.name} (and Microsoft's parser accepts the card)`, problems.join("; "));
  } else {
    report(same, c.name, detail);
  }
});

console.log(`cards: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
