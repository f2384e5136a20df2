// Checks Doberman's Teams app package with Microsoft's own validator, offline: `doberman manifest` writes the zip,
// this reads it and validates manifest.json with @microsoft/app-manifest (the schemas Teams publishes, shipped in
// the package and chosen by the manifest's $schema), checks the icons (PNG, 192x192 colour; 32x32 outline, white
// on transparent, as Teams asks) and that the validator does reject what Teams would (so the check can fail).
//
// Usage: node tests/peers/manifest-check.mjs path/to/doberman

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { AppManifestUtils } from "@microsoft/app-manifest";

const doberman = process.argv[2];
if (!doberman) {
  console.error("usage: node tests/peers/manifest-check.mjs path/to/doberman");
  process.exit(2);
}

const BOT_ID = "8f0c2e7a-4b1d-4c3e-9a55-2d6f1e0b7c11";
const SECRET = "the operator's configuration has it; the package never does";
const dir = mkdtempSync(join(tmpdir(), "doberman-manifest-"));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

try {
  const zip = join(dir, "doberman-teams.zip");
  const out = execFileSync(doberman, ["manifest", "--out", zip], {
    env: {
      PATH: process.env.PATH,
      DOBERMAN_TEAMS__APP_ID: BOT_ID,
      DOBERMAN_TEAMS__APP_PASSWORD: SECRET,
      DOBERMAN_MANIFEST__WEBSITE_URL: "https://data.example.com/doberman",
      DOBERMAN_MANIFEST__NAME: "Doberman 도베르만 🐕",
      DOBERMAN_SUPERSET__URL: "https://superset.example.com/",
    },
    encoding: "utf8",
  });
  console.log(out.trim());
  // Python's zipfile (the standard library) unpacks it: a second, independent reader of the zip.
  execFileSync("python3", ["-m", "zipfile", "-e", zip, join(dir, "package")]);
  const listing = execFileSync("python3", ["-m", "zipfile", "-l", zip], { encoding: "utf8" });
  const names = listing
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean)
    .sort();
  check(
    JSON.stringify(names) === JSON.stringify(["color.png", "ko-kr.json", "manifest.json", "outline.png"]),
    `the zip holds manifest.json, its Korean localization and both icons at its root: ${names.join(", ")}`,
  );

  const text = readFileSync(join(dir, "package", "manifest.json"), "utf8");
  check(!text.includes(SECRET) && !out.includes(SECRET), "the app password is neither in the package nor printed");
  const manifest = JSON.parse(text);
  const errors = await AppManifestUtils.validateAgainstSchema(manifest);
  check(errors.length === 0, `Microsoft's validator (schema ${manifest.manifestVersion}) accepts the manifest`);
  for (const e of errors) console.log(`     ${e}`);

  check(manifest.bots?.[0]?.botId === BOT_ID, "bots[0].botId is teams.app_id");

  // The Korean localization: named in localizationInfo, every key a path of the manifest, Teams' limits kept.
  const info = manifest.localizationInfo;
  check(
    info?.defaultLanguageTag === "en-us" &&
      info?.additionalLanguages?.length === 1 &&
      info.additionalLanguages[0].languageTag === "ko-kr" &&
      info.additionalLanguages[0].file === "ko-kr.json",
    `localizationInfo names ko-kr.json: ${JSON.stringify(info)}`,
  );
  const korean = JSON.parse(readFileSync(join(dir, "package", "ko-kr.json"), "utf8"));
  const at = (path) =>
    path
      .replace(/\[(\d+)\]/g, ".$1")
      .split(".")
      .reduce((v, k) => (v === undefined ? undefined : v[k]), manifest);
  const keys = Object.keys(korean).filter((k) => k !== "$schema");
  const stray = keys.filter((k) => at(k) === undefined);
  check(stray.length === 0, `every localized key is a path of the manifest (${keys.length} keys)${stray.length ? ": " + stray.join(", ") : ""}`);
  const commands = manifest.bots[0].commandLists.flatMap((l) => l.commands).length;
  const described = keys.filter((k) => /commands\[\d+\]\.description$/.test(k)).length;
  check(described === commands, `every command's description is in Korean: ${described}/${commands}`);
  const hangul = /[\uAC00-\uD7A3]/;
  check(
    keys.filter((k) => k.endsWith("description")).every((k) => hangul.test(korean[k])),
    "the Korean descriptions are Korean",
  );
  check(
    korean["description.short"].length <= 80 &&
      korean["description.full"].length <= 4000 &&
      keys.filter((k) => /commands\[\d+\]\.description$/.test(k)).every((k) => korean[k].length <= 128),
    "the Korean texts keep Teams' limits (short ≤ 80, full ≤ 4000, a command's ≤ 128)",
  );
  check(manifest.name?.short === "Doberman 도베르만 🐕", "Korean and emoji round-trip in the name");
  check(
    JSON.stringify(manifest.validDomains) === JSON.stringify(["superset.example.com"]),
    `validDomains come from superset.url: ${JSON.stringify(manifest.validDomains)}`,
  );
  const scopes = manifest.bots[0].commandLists.flatMap((l) => l.scopes).sort();
  check(
    JSON.stringify(scopes) === JSON.stringify(["groupChat", "personal", "team"]),
    `a command list for every scope: ${scopes.join(", ")}`,
  );
  for (const list of manifest.bots[0].commandLists) {
    check(list.commands.length <= 10, `at most 10 commands for ${list.scopes.join("/")}: ${list.commands.length}`);
  }
  check(
    manifest.authorization?.permissions?.resourceSpecific?.some(
      (p) => p.name === "ChannelMessage.Read.Group" && p.type === "Application",
    ),
    "the resource-specific consent ChannelMessage.Read.Group (the request channel) is asked",
  );

  // The validator is not a rubber stamp: what Teams refuses, it refuses.
  const broken = structuredClone(manifest);
  broken.bots[0].botId = "not a guid";
  broken.bots[0].commandLists[0].commands.push({ title: "x", description: "y" }, { title: "x", description: "y" },
    { title: "x", description: "y" });
  broken.accentColor = "blue";
  const rejected = await AppManifestUtils.validateAgainstSchema(broken);
  check(rejected.length >= 2, `a broken manifest is rejected (${rejected.length} errors)`);

  const color = png(readFileSync(join(dir, "package", manifest.icons.color)));
  check(color.width === 192 && color.height === 192, `the colour icon is 192x192: ${color.width}x${color.height}`);
  const outline = png(readFileSync(join(dir, "package", manifest.icons.outline)));
  check(outline.width === 32 && outline.height === 32, `the outline icon is 32x32: ${outline.width}x${outline.height}`);
  let opaque = 0;
  let coloured = 0;
  let transparent = 0;
  for (let i = 0; i < outline.pixels.length; i += 4) {
    const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
    if (a === 0) transparent++;
    else {
      opaque++;
      if (r !== 255 || g !== 255 || b !== 255) coloured++;
    }
  }
  check(
    opaque > 50 && transparent > 300 && coloured === 0,
    `the outline icon is white on transparent (${opaque} white pixels, ${transparent} transparent, ${coloured} other)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("\nthe Teams app package passes");

/** Decodes an 8-bit RGBA or RGB PNG (every filter type) into RGBA pixels. */
function png(bytes) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature)) throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const data = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("ascii", offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || ![2, 6].includes(body[9])) throw new Error("only 8-bit RGB(A) PNGs are checked");
      channels = body[9] === 6 ? 4 : 3;
    } else if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      out[y * stride + x] = (v + [0, a, b, (a + b) >> 1, paeth][filter]) & 0xff;
    }
  }
  if (channels === 4) return { width, height, pixels: out };
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    out.copy(rgba, i * 4, i * 3, i * 3 + 3);
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, pixels: rgba };
}
