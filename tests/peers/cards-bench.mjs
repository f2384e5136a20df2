// Times Microsoft's adaptivecards-templating expanding one template: node cards-bench.mjs TEMPLATE DATA N
// Prints one JSON line: {"mean_ms": …, "p50_ms": …, "p99_ms": …}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const ACT = createRequire(import.meta.url)("adaptivecards-templating");
const [templatePath, dataPath, n] = process.argv.slice(2);
const template = new ACT.Template(JSON.parse(readFileSync(templatePath, "utf8")));
const data = JSON.parse(readFileSync(dataPath, "utf8"));
for (let i = 0; i < 50; i++) template.expand({ $root: data });
const times = [];
for (let i = 0; i < Number(n); i++) {
  const start = process.hrtime.bigint();
  template.expand({ $root: data });
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(JSON.stringify({ mean_ms: mean, p50_ms: times[Math.floor(times.length / 2)], p99_ms: times[Math.floor(times.length * 0.99)] }));
