// What client.mjs and clients.mjs share: how a case's answer and errors are written out.

// The headers a test looks at: Switchyard's own, the request id and Retry-After.
export function headersOf(headers) {
  const h = {};
  if (!headers) return h;
  const entries = typeof headers.entries === 'function' ? headers.entries() : Object.entries(headers);
  for (const [key, v] of entries) {
    const k = key.toLowerCase();
    if (k.startsWith('x-switchyard-') || k === 'x-request-id' || k === 'retry-after') h[k] = v;
  }
  return h;
}

// An error from any of the clients (openai's APIError, the AI SDK's APICallError, LangChain's).
export function errorOf(e) {
  return { class: e?.constructor?.name ?? typeof e, status: e?.status ?? e?.statusCode ?? null,
           code: e?.code ?? e?.data?.error?.code ?? null, type: e?.type ?? e?.data?.error?.type ?? null,
           message: e?.message ?? String(e) };
}

// Runs the case named on the command line and prints one JSON line with what the client saw; a
// thrown error becomes {"error": …} and the exit code stays 0.
export async function runCase(cases) {
  const run = cases[process.argv[2]];
  if (!run) {
    console.error(`unknown case ${process.argv[2]}; one of ${Object.keys(cases).join(', ')}`);
    process.exit(2);
  }
  try {
    console.log(JSON.stringify(await run()));
  } catch (e) {
    console.log(JSON.stringify({ error: errorOf(e) }));
  }
}
