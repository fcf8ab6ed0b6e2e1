// A client nobody here wrote: the official MCP TypeScript SDK connects to toolrun's /mcp endpoint
// with its Streamable HTTP client transport, lists the tools, calls one and cancels a second call,
// then calls one as an MCP task (2025-11-25) with the SDK's experimental task client and cancels
// a second task.
// Run by .ci/mcp-client
// against the packaged jar (in-memory runtime), which echoes a run's parameters as its result.
//
//   node mcp-client.mjs http://localhost:8080 <token>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [base, token] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node mcp-client.mjs <base-url> <token>");
  process.exit(2);
}
const auth = { Authorization: `Bearer ${token}` };

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// A tool to call, registered over REST as any other door would.
const registered = await fetch(`${base}/v1/tools/mcp-greeter`, {
  method: "PUT",
  headers: { ...auth, "Content-Type": "application/json" },
  body: JSON.stringify({ description: "Greets someone (MCP CI check)", spec: { mode: "TASK", image: { name: "example/greeter:1" } } }),
});
if (registered.status !== 200 && registered.status !== 201) fail(`registering the tool: ${registered.status} ${await registered.text()}`);

// Without the token there is no session.
const refused = new Client({ name: "toolrun-ci-refused", version: "1.0.0" });
try {
  await refused.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
  fail("a client without the token was let in");
} catch (e) {
  if (e.code !== 401) fail(`a client without the token failed otherwise: ${e}`);
}

const client = new Client({ name: "toolrun-ci", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: auth } }));
console.log(`connected to ${client.getServerVersion().name}, protocol ${client.transport.protocolVersion ?? "(negotiated)"}`);

let tool;
for (let i = 0; i < 50 && !tool; i++) {
  tool = (await client.listTools()).tools.find((t) => t.name === "mcp-greeter");
  if (!tool) await new Promise((r) => setTimeout(r, 100));
}
if (!tool) fail("mcp-greeter was never listed");
console.log(`listed: ${tool.name} (${tool.description}), inputSchema ${JSON.stringify(tool.inputSchema)}`);

const progress = [];
const result = await client.callTool(
  { name: "mcp-greeter", arguments: { name: "Ada" } },
  undefined,
  { onprogress: (p) => progress.push(p), timeout: 60000 },
);
console.log(`called: ${JSON.stringify(result)}`);
if (result.isError) fail("the call answered isError");
if (result.structuredContent?.parameters?.name !== "Ada") fail("structuredContent does not echo the parameters");
const id = result._meta?.["toolrun.dev/instanceId"];
if (!id) fail("no instance id in _meta");
if (!result.content.some((c) => c.type === "resource_link" && c.uri === `toolrun://instances/${id}`)) fail("no resource link to the instance");
if (progress.length === 0) fail("no progress notification arrived");
console.log(`progress: ${progress.map((p) => p.progress).join(", ")}`);

const record = await client.readResource({ uri: `toolrun://instances/${id}` });
if (!record.contents[0].text.includes('"state":"SUCCEEDED"')) fail("the instance resource does not say SUCCEEDED");

const rest = await (await fetch(`${base}/v1/instances/${id}`, { headers: auth })).json();
if (rest.state !== "SUCCEEDED") fail(`over REST the instance is ${rest.state}`);

// Cancel a call the way the SDK does (an aborted signal sends notifications/cancelled): the
// instance ends CANCELLED. The jar runs at a slow in-memory pace, so the run is still going.
const abort = new AbortController();
let cancelledId;
const cancelled = client
  .callTool({ name: "mcp-greeter", arguments: { name: "Bob" } }, undefined, {
    signal: abort.signal,
    onprogress: () => abort.abort("the CI check cancels it"),
    timeout: 60000,
  })
  .then(() => fail("the cancelled call answered"), (e) => e);
const error = await cancelled;
console.log(`cancelled call: ${error}`);
for (let i = 0; i < 100 && !cancelledId; i++) {
  // A page holds summaries, without parameters: the full instance is read by id.
  const page = await (await fetch(`${base}/v1/instances?tool=mcp-greeter&state=CANCELLED`, { headers: auth })).json();
  for (const item of page.items) {
    const full = await (await fetch(`${base}/v1/instances/${item.id}`, { headers: auth })).json();
    if (full.parameters?.name === "Bob") cancelledId = full.id;
  }
  if (!cancelledId) await new Promise((r) => setTimeout(r, 100));
}
if (!cancelledId) fail("the cancelled call's instance did not end CANCELLED");
console.log(`instance ${cancelledId} ended CANCELLED`);

// Tasks: the SDK's own task client creates the task, polls tasks/get at the server's pollInterval
// and fetches tasks/result; the task id is the instance id.
if (!client.getServerCapabilities()?.tasks?.requests?.tools?.call) fail("the server does not offer task-augmented tools/call");
if (tool.execution?.taskSupport !== "optional") fail(`taskSupport is ${tool.execution?.taskSupport}`);
let taskId;
let taskResult;
const statuses = [];
for await (const message of client.experimental.tasks.callToolStream(
  { name: "mcp-greeter", arguments: { name: "Cy" } },
  undefined,
  { task: {}, timeout: 60000 },
)) {
  if (message.type === "taskCreated") taskId = message.task.taskId;
  else if (message.type === "taskStatus") statuses.push(message.task.status);
  else if (message.type === "result") taskResult = message.result;
  else if (message.type === "error") fail(`the task call failed: ${message.error}`);
}
if (!taskId) fail("no task was created");
if (taskResult?.structuredContent?.parameters?.name !== "Cy") fail(`the task's result is ${JSON.stringify(taskResult)}`);
if (taskResult._meta?.["toolrun.dev/instanceId"] !== taskId) fail("the task id is not the instance id");
console.log(`task ${taskId}: ${statuses.join(", ")} -> ${JSON.stringify(taskResult.structuredContent)}`);
const fetched = await client.experimental.tasks.getTask(taskId);
if (fetched.status !== "completed") fail(`tasks/get says ${fetched.status}`);
const listedTasks = await client.experimental.tasks.listTasks();
if (!listedTasks.tasks.some((t) => t.taskId === taskId)) fail("tasks/list does not list the task");
if ((await (await fetch(`${base}/v1/instances/${taskId}`, { headers: auth })).json()).state !== "SUCCEEDED") fail("over REST the task's instance did not succeed");

// A second task, cancelled with tasks/cancel while it runs (the jar's slow pace).
let cancelledTask;
for await (const message of client.experimental.tasks.callToolStream(
  { name: "mcp-greeter", arguments: { name: "Dee" } },
  undefined,
  { task: {}, timeout: 60000 },
)) {
  if (message.type === "taskCreated") {
    cancelledTask = await client.experimental.tasks.cancelTask(message.task.taskId);
  } else if (message.type === "result" && !message.result.isError) {
    fail("the cancelled task succeeded");
  }
}
if (cancelledTask?.status !== "cancelled") fail(`tasks/cancel answered ${JSON.stringify(cancelledTask)}`);
if ((await (await fetch(`${base}/v1/instances/${cancelledTask.taskId}`, { headers: auth })).json()).state !== "CANCELLED") fail("the cancelled task's instance did not end CANCELLED");
console.log(`task ${cancelledTask.taskId} cancelled`);

await client.close();
console.log("MCP client OK");
