// One request to Switchyard's local endpoint through the official openai package, as a team's
// script would make it. Usage: node client.mjs CASE (SWITCHYARD_URL, SWITCHYARD_KEY, MODEL, TASK_TYPE
// from the environment). Prints one JSON line with what the client saw; tst_endpoint_clients checks it.
import OpenAI from 'openai';
import { errorOf, headersOf, runCase } from './common.mjs';

const client = new OpenAI({
  baseURL: process.env.SWITCHYARD_URL,
  apiKey: process.env.SWITCHYARD_KEY,
  maxRetries: 0,          // the endpoint does the retrying; a test must see its answer as it is
  timeout: 30_000,
});
const model = process.env.MODEL || 'auto';
const messages = [{ role: 'user', content: process.env.PROMPT || 'hello' }];
const metadata = process.env.TASK_TYPE ? { task_type: process.env.TASK_TYPE } : undefined;

async function stream() {
  const { data: s, response } = await client.chat.completions
    .create({ model, messages, metadata, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  const out = { chunks: 0, content: '', reasoning: '', finish_reason: null, usage: null, models: [],
                headers: headersOf(response.headers) };
  try {
    for await (const chunk of s) {
      out.chunks++;
      if (!out.models.includes(chunk.model)) out.models.push(chunk.model);
      if (chunk.object !== 'chat.completion.chunk') throw new Error(`chunk object is ${chunk.object}`);
      if (chunk.usage) out.usage = chunk.usage;
      for (const choice of chunk.choices) {
        out.content += choice.delta.content ?? '';
        out.reasoning += choice.delta.reasoning_content ?? '';
        if (choice.finish_reason) out.finish_reason = choice.finish_reason;
      }
    }
  } catch (e) {
    out.error = errorOf(e);
  }
  return out;
}

async function whole() {
  const { data, response } = await client.chat.completions.create({ model, messages, metadata }).withResponse();
  const m = data.choices[0].message;
  return { object: data.object, model: data.model, content: m.content, reasoning: m.reasoning_content ?? '',
           finish_reason: data.choices[0].finish_reason, usage: data.usage, headers: headersOf(response.headers) };
}

async function models() {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  return { ids };
}

await runCase({ stream, whole, models });
