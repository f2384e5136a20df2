// Microsoft's adaptivecards parser (schema 1.5) plus what it lets through but Teams renders badly; shared by
// cards.mjs (every template with every example) and playground.mjs (every card Doberman sends in a conversation).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js");

/** Parse events and validation events of Microsoft's parser for schema 1.5. */
export function cardProblems(card) {
  const ctx = new AC.SerializationContext();
  ctx.targetVersion = AC.Version.parse("1.5", ctx);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  const problems = [];
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  // What Microsoft's parser lets through but Teams renders badly.
  const walk = (node, path) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
    if (!node || typeof node !== "object") return;
    if (node.type === "FactSet" && !(node.facts?.length > 0)) problems.push(`${path}: empty FactSet`);
    if (node.type === "Image" && !node.url) problems.push(`${path}: Image without url`);
    if (typeof node.type === "string" && node.type.startsWith("Action.") && !node.title) problems.push(`${path}: action without title`);
    if (typeof node.type === "string" && node.type === "TextBlock" && typeof node.text === "string" && node.text.includes("${")) {
      problems.push(`${path}: unexpanded ${node.text}`);
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`);
  };
  walk(card, "");
  return problems;
}

