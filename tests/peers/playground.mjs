// Drives Doberman through the Microsoft 365 Agents Playground (a real Teams client and Bot Connector emulator)
// and checks the replies. Usage: node playground.mjs PLAYGROUND_PORT BOT_URL
// Prints one line per check and a closing "N passed, M failed"; exits non-zero on any failure.
import WebSocket from "ws";
import { cardProblems } from "./card-check.mjs";

const [port, botUrl] = process.argv.slice(2);
if (!port || !botUrl) {
  console.error("usage: node playground.mjs PLAYGROUND_PORT BOT_URL");
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;
const TIMEOUT_MS = 15000;
let passed = 0;
let failed = 0;

function check(name, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ""}`);
  }
}

async function json(path, init) {
  const response = await fetch(`${base}${path}`, init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path}: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

// Messages the bot sends arrive on this stream; connect before sending (frames are not replayed).
const frames = [];
const updates = [];
const waiters = [];
const ws = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
ws.on("message", (data) => {
  const frame = JSON.parse(data.toString());
  if (frame.action === "updateMessage") {
    updates.push(frame);
    for (const w of waiters.splice(0)) w();
    return;
  }
  if (frame.action !== "createMessage") return;
  // "Doberman is typing…" is not an answer.
  if (frame.message?.type === "typing") return;
  frames.push(frame);
  for (const w of waiters.splice(0)) w();
});
await new Promise((resolve, reject) => {
  ws.on("open", resolve);
  ws.on("error", reject);
});

// The next message the bot posts in `conversationId` after `seen` earlier ones.
async function nextMessage(conversationId, seen) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const mine = frames.filter((f) => f.actionConversationId === conversationId);
    if (mine.length > seen) return mine[seen].message;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await new Promise((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, left);
    });
  }
}

// What a person sees of a message: its text and its cards' text.
function shown(message) {
  if (!message) return "";
  const texts = [message.text ?? ""];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (node.type === "TextBlock" && typeof node.text === "string") texts.push(node.text);
    if (node.type === "FactSet") for (const f of node.facts ?? []) texts.push(`${f.title}: ${f.value}`);
    Object.values(node).forEach(walk);
  };
  walk(message.attachments ?? []);
  return texts.join("\n");
}

// The first frame of `list` that `ok` accepts, waiting for it.
async function frameWhere(list, ok) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const found = list.find(ok);
    if (found) return found;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await new Promise((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, left);
    });
  }
}

function count(conversationId) {
  return frames.filter((f) => f.actionConversationId === conversationId).length;
}

async function say(conversationId, text, locale) {
  const seen = count(conversationId);
  await json(`/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: { id: "user-id-0" }, text, textFormat: "plain", ...(locale ? { locale } : {}) }),
  });
  return nextMessage(conversationId, seen);
}

const { config } = await json("/_internal/v1/config");
const personal = config.personalChat.id;
const team = config.teams[0];
const general = team.channels[0];

let reply = await say(personal, "help");
check("help lists the commands", shown(reply).includes("help [command…]"), shown(reply));
check(
  "help is an Adaptive Card",
  reply?.attachments?.[0]?.contentType === "application/vnd.microsoft.card.adaptive",
  JSON.stringify(reply?.attachments?.[0]?.contentType),
);

reply = await say(personal, "hel");
check("a typo gets a did-you-mean", shown(reply).includes("Did you mean: `help"), shown(reply));
reply = await say(personal, "hlep");
check("a typo of a command's name is read as the name", shown(reply).includes("help [command…]"), shown(reply).slice(0, 200));

reply = await say(personal, "도움말\u3000conversations");
check("a Korean alias with a full-width space explains a command", shown(reply).includes("Lists the chats and channels"), shown(reply));

// The Playground sends every message as its one user, Alex Wilber, whom run-playground.sh makes an admin (the
// refusal of others is in the integration tests, tests/it/teams.rs).
reply = await say(personal, "conversations");
check("an admin's conversations lists where Doberman is", shown(reply).includes("1 conversation"), shown(reply));

reply = await say(personal, "  HELP   conversations  ");
check("case and extra spaces are tolerated", shown(reply).includes("Where Doberman is installed"), shown(reply));

// Installing the app in a team: Doberman records the channel and says hello there.
const seen = count(general.id);
await json(`/_debug/conversation/${encodeURIComponent(general.id)}/installation`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: "{}",
});
reply = await nextMessage(general.id, seen);
check("installing in a team posts a welcome", shown(reply).includes("도베르만"), shown(reply) || "no message");

// Every command, against the demo data `doberman serve --demo` wrote: each answer is one Adaptive Card that
// Microsoft's parser accepts, and it shows what the command is for (no empty state: the demo has data).
const conversation = [
  ["help catalog table", ["catalog table ‹db.table›", "테이블"]],
  ["catalog table sales.orders", ["sales.orders", "Columns (", "🔑 dt", "Read most by"]],
  ["테이블 sales.ordrs", ["There is no table sales.ordrs; this is the only close match."]],
  ["catalog db crm", ["Database crm", "crm.customers"]],
  ["데이터베이스 mart", ["Database mart", "mart.daily_sales"]],
  ["catalog search 주문", ["Tables matching “주문”", "sales.orders"]],
  ["검색 customer id", ["crm.customers"]],
  ["top tables", ["Top tables · last 7 days", "vs previous 7 days"]],
  ["인기 테이블 30일 db sales 스캔순", ["Top tables · last 30 days", "by bytes scanned · database sales"]],
  ["top databases 90d", ["Top databases · last 90 days"]],
  ["cost", ["AWS cost", "Month to date", "Projected for"]],
  ["비용 지난달 계정별", ["AWS cost", "demo-data-prod"]],
  ["cost today", ["AWS cost"]],
  ["navigate", ["Where things live", "Sales", "Daily sales (일 매출)"]],
  ["어디에 매출", ["Navigate: 매출", "mart.fact_sales_daily"]],
  ["airflow", ["Airflow · today", "marketing_campaign_daily", "load_to_s3 (try 2)", "legacy_crm_sync.py"]],
  ["에어플로우 실패 7일", ["Airflow · failed runs, last 7 days", "marketing_campaign_daily"]],
  ["airflow dag ml_feature_build", ["DAG ml_feature_build", "Next run", "Typical run"]],
  ["히트맵 30일", ["Airflow schedule heatmap (시간표 히트맵)", "last 30 days", "Busiest hours", "run minutes"]],
  ["정합성", ["Data checks · today", "2 failing", "주문: ERP vs 레이크", "erp-replica"]],
  ["check sales.orders", ["Data checks · sales.orders", "orders: order_id is unique"]],
  ["정합성 체크 주문: ERP vs 레이크", ["주문: ERP vs 레이크", "Day checked", "Last failure"]],
  ["status", ["Doberman", "catalog", "usage", "cost", "airflow"]],
  ["상태", ["Doberman"]],
];
for (const [text, expected] of conversation) {
  const started = Date.now();
  const answer = await say(personal, text);
  const took = Date.now() - started;
  const attachment = answer?.attachments?.[0];
  const isCard = attachment?.contentType === "application/vnd.microsoft.card.adaptive";
  const problems = isCard ? cardProblems(attachment.content) : ["not an Adaptive Card"];
  const seenText = shown(answer);
  const missing = expected.filter((e) => !seenText.includes(e));
  const empty = ["No queries recorded", "is empty", "Nothing matches", "No table is called"].filter((e) => seenText.includes(e));
  check(
    `${text} → a valid card with its answer (${took} ms)`,
    isCard && problems.length === 0 && missing.length === 0 && empty.length === 0,
    [...problems, ...missing.map((m) => `missing ${JSON.stringify(m)}`), ...empty.map((e) => `empty state ${JSON.stringify(e)}`), seenText.slice(0, 600)].join("; "),
  );
  check(`${text} → says when its data is from`, seenText.includes("data as of") || text.startsWith("help") || text === "status" || text === "상태", seenText.slice(0, 300));
}

// The same person in Korean, saying things as they would to a colleague: each answer is a valid card, about the
// right thing, in Korean (the data aside). The Playground's client sends its own locale (en-US here) with every
// message, so the chat is set to Korean with `언어 ko`, as a person would; the locale path (an activity's ko-KR)
// is in the integration tests.
{
  const set = await say(personal, "언어 ko");
  check("`언어 ko` answers in Korean", shown(set).includes("한국어로 말하겠습니다"), shown(set));
}
const hangul = (s) => (s.match(/[\uAC00-\uD7A3]/g) ?? []).length;
const englishLabels = ["data as of", "Columns (", "Month to date", "Top tables", "What I can do", "Did you mean", "Data checks"];
const korean = [
  ["이번 달 비용", ["AWS"], true],
  ["지난달 비용 계정별로 보여줘", ["demo-data-prod"], true],
  ["sales.orders 테이블 정보", ["sales.orders", "🔑 dt"], true],
  ["가장 많이 쓰는 테이블", ["."], true],
  ["인기 테이블 30일 스캔량", ["sales."], true],
  ["주문 테이블 찾아줘", ["sales.orders"], true],
  ["정합성 보여줘", ["주문: ERP vs 레이크"], true],
  ["에어플로우 실패 7일", ["marketing_campaign_daily"], true],
  ["매출 대시보드 어디서 봐?", ["mart.fact_sales_daily"], false],
  ["도움말", ["catalog table"], false],
  ["상태", ["Doberman"], false],
];
for (const [text, expected, dated] of korean) {
  const answer = await say(personal, text);
  const attachment = answer?.attachments?.[0];
  const isCard = attachment?.contentType === "application/vnd.microsoft.card.adaptive";
  const problems = isCard ? cardProblems(attachment.content) : ["not an Adaptive Card"];
  const seenText = shown(answer);
  const missing = expected.filter((e) => !seenText.includes(e));
  const english = englishLabels.filter((e) => seenText.includes(e));
  check(
    `${text} (ko-KR) → a valid card about it, in Korean`,
    isCard && problems.length === 0 && missing.length === 0 && english.length === 0 && hangul(seenText) >= 10 &&
      (!dated || seenText.includes("데이터 기준")),
    [...problems, ...missing.map((m) => `missing ${JSON.stringify(m)}`), ...english.map((e) => `English ${JSON.stringify(e)}`), seenText.slice(0, 500)].join("; "),
  );
}
// A question between two commands gets buttons, not a guess; `언어 en` sets the chat's language over the locale.
{
  const answer = await say(personal, "제일 많이 쓰는 거");
  const card = answer?.attachments?.[0]?.content;
  check(
    "an ambiguous question gets a choice of buttons",
    card && cardProblems(card).length === 0 && (card.actions ?? []).filter((a) => a.data?.verb === "run").length >= 2,
    JSON.stringify(card ?? null).slice(0, 400),
  );
  let set = await say(personal, "언어 en");
  check("`언어 en` answers in English", shown(set).includes("From now on I speak English here"), shown(set));
  const english = await say(personal, "이번 달 비용");
  check("after `언어 en` the same words get English", shown(english).includes("data as of"), shown(english).slice(0, 300));
  set = await say(personal, "language auto");
  check("`language auto` goes back to the client's language", shown(set).includes("Teams language"), shown(set));
}

// The heatmap is a picture in the card: a PNG that came through the Playground whole, with its words beside it.
{
  const heat = await say(personal, "airflow heatmap");
  let image = null;
  const find = (node) => {
    if (Array.isArray(node)) return node.forEach(find);
    if (!node || typeof node !== "object") return;
    if (node.type === "Image") image = node;
    Object.values(node).forEach(find);
  };
  find(heat?.attachments ?? []);
  const png = image?.url?.startsWith("data:image/png;base64,") ? Buffer.from(image.url.split(",")[1], "base64") : Buffer.alloc(0);
  check(
    `airflow heatmap → a PNG in the card (${png.length} bytes) with alt text`,
    png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && png.readUInt32BE(16) === 960 &&
      image.altText.includes("Busiest"),
    JSON.stringify(image ?? null).slice(0, 300),
  );
}

// A new post in a channel that @mentions the bot (the Playground delivers no other channel message).
async function postMentioningBot(channelId, text) {
  return json(`/_conversation/v1/conversations/${encodeURIComponent(channelId)}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      from: { id: "user-id-0" },
      text: `<at>${config.bot.name}</at> ${text}`,
      textFormat: "xml",
      mentions: [{ mentioned: { id: config.bot.id }, text: `<at>${config.bot.name}</at>` }],
    }),
  });
}

// Presses a card's button as the Playground does: an adaptiveCard/action invoke on the message that holds it.
async function press(card, title, conversationId, messageId) {
  const action = card?.actions?.find((a) => a.title === title);
  return json("/_conversation/v1/invoke", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb: action?.verb, data: action?.data }, trigger: "manual" },
      from: { id: "user-id-0" },
      conversation: { id: conversationId },
      replyToId: messageId,
    }),
  });
}

// The request channel (run-playground.sh sets requests.channel_id to the team's second channel). The Playground
// delivers a channel message only when it @mentions the bot, as Teams does without the resource-specific consent;
// a mention that is not a command is a request there too.
const requestChannel = team.channels[1];
const bot = config.bot;
const asked = "매장별 일 매출 대시보드가 필요합니다 📊";
const posted = await postMentioningBot(requestChannel.id, asked);
const thread = posted.postConversationId;
const requestCard = await nextMessage(thread, 0);
const requestText = shown(requestCard);
const key = /REQ-\d+/.exec(requestText)?.[0];
check(
  "a message in the request channel becomes a requirement, answered in its thread with its card",
  key && requestText.includes(`${key} · ${asked}`) && requestText.includes("Alex Wilber") && requestText.includes("new"),
  requestText.slice(0, 400),
);
const requestAttachment = requestCard?.attachments?.[0];
check(
  "the requirement card is a valid Adaptive Card with Accept, Start, Done, Reject and Assign to me",
  requestAttachment &&
    cardProblems(requestAttachment.content).length === 0 &&
    ["Accept", "Start", "Done", "Reject", "Assign to me"].every((t) => requestAttachment.content.actions?.some((a) => a.title === t)),
  JSON.stringify(requestAttachment?.content?.actions ?? null).slice(0, 400),
);
// Press Accept, as the Playground's card does: an adaptiveCard/action invoke on that card.
const invoked = await press(requestAttachment?.content, "Accept", thread, requestCard?.messageId);
const acceptedText = shown({ attachments: [{ content: invoked?.value }] });
check(
  "pressing Accept answers with the card as it now is",
  invoked?.type === "application/vnd.microsoft.card.adaptive" && acceptedText.includes("accepted") &&
    !invoked.value.actions?.some((a) => a.title === "Accept"),
  JSON.stringify(invoked).slice(0, 400),
);
const told = await nextMessage(thread, 1);
check(
  "the author is told in the thread, with an @mention",
  shown(told).includes(`<at>Alex Wilber</at> **${key}** was accepted`) &&
    (told?.mentions ?? told?.entities ?? []).some((m) => m.mentioned?.id === "user-id-0"),
  JSON.stringify(told).slice(0, 400),
);

// Alerts (run-playground.sh expects sales.orders every 30 minutes, so the demo's is stale): the admin subscribes
// the General channel to freshness, the card comes to the channel, Acknowledge answers with the card as it now is
// and updates it for everyone.
const subscribed = await postMentioningBot(general.id, "subscribe freshness");
const subscribeReply = await nextMessage(subscribed.postConversationId, 0);
check("an admin subscribes a channel to freshness", shown(subscribeReply).includes("Subscribed"), shown(subscribeReply).slice(0, 300));
const alertFrame = await frameWhere(frames, (f) => shown(f.message).includes("sales.orders is stale"));
const alertCard = alertFrame?.message?.attachments?.[0]?.content;
check(
  "the stale table's alert card comes to the channel: valid, firing, with Acknowledge and Mute buttons",
  alertCard && cardProblems(alertCard).length === 0 && shown(alertFrame.message).includes("FIRING") &&
    ["Acknowledge", "Mute 1h", "Mute 1d"].every((t) => alertCard.actions?.some((a) => a.title === t)),
  JSON.stringify(alertFrame ?? null).slice(0, 500),
);
const acked = await press(alertCard, "Acknowledge", alertFrame?.message?.postConversationId, alertFrame?.message?.messageId);
const ackedText = shown({ attachments: [{ content: acked?.value }] });
check(
  "pressing Acknowledge answers with the card acknowledged by the presser, without the button",
  acked?.type === "application/vnd.microsoft.card.adaptive" && ackedText.includes("ACKNOWLEDGED") &&
    ackedText.includes("Alex Wilber") && !acked.value.actions?.some((a) => a.title === "Acknowledge"),
  JSON.stringify(acked).slice(0, 400),
);
const updated = await frameWhere(updates, (f) => shown(f.message).includes("ACKNOWLEDGED"));
check("everyone's copy of the card is updated in place", Boolean(updated), `${updates.length} update(s)`);

const ready = await (await fetch(`${botUrl}/readyz`)).json();
check(
  "readyz warns about development mode",
  ready.warnings?.some((w) => w.includes("development mode")),
  JSON.stringify(ready),
);

ws.close();
console.log(`playground: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
