// Anthropic's clients against Switchyard's Messages door: the official @anthropic-ai/sdk (create,
// stream + finalMessage, a tool_use → tool_result round trip, thinking, countTokens, an overloaded
// error) and the Vercel AI SDK with @ai-sdk/anthropic (generateText, streamText, a tool call).
// Usage: node messages.mjs CASE (SWITCHYARD_URL, SWITCHYARD_KEY, MODEL from the environment).
// Prints one JSON line with what the client saw; a thrown error becomes {"error":{...}}.
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText, streamText, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { runCase } from './common.mjs';

const url = process.env.SWITCHYARD_URL;          // http://127.0.0.1:PORT/v1
const apiKey = process.env.SWITCHYARD_KEY;
const model = process.env.MODEL || 'claude-sonnet-4-5-20250929';
const TIMEOUT_MS = 30_000;
globalThis.AI_SDK_LOG_WARNINGS = false;

// Anthropic's SDK appends /v1/messages itself (as Claude Code does with ANTHROPIC_BASE_URL);
// @ai-sdk/anthropic appends /messages to a base URL that ends in /v1.
const anthropic = new Anthropic({ baseURL: url.replace(/\/v1$/, ''), apiKey, maxRetries: 0, timeout: TIMEOUT_MS });
const ai = createAnthropic({ baseURL: url, apiKey });

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const TOOL_RESULT = '{"temp_c":21}';

function textOf(message) {
  return message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}
function thinkingOf(message) {
  return message.content.filter((b) => b.type === 'thinking').map((b) => b.thinking).join('');
}
function summary(message) {
  return { text: textOf(message), thinking: thinkingOf(message), model: message.model, id: message.id,
           stop_reason: message.stop_reason, blocks: message.content.map((b) => b.type), usage: message.usage,
           signatures: message.content.filter((b) => b.type === 'thinking').map((b) => b.signature) };
}

async function create() {
  const message = await anthropic.messages.create({
    model, max_tokens: 256, messages: [{ role: 'user', content: 'hello' }],
  });
  return summary(message);
}

async function stream() {
  const s = anthropic.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'hello' }] });
  let texts = 0;
  s.on('text', () => { texts += 1; });
  const message = await s.finalMessage();
  return { ...summary(message), text_events: texts };
}

async function thinking() {
  const message = await anthropic.messages.create({
    model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [{ role: 'user', content: 'hello' }],
  });
  if (!message.content.some((b) => b.type === 'thinking' && b.signature)) throw new Error('no signed thinking block');
  // The thinking block goes back as it came, as Anthropic asks.
  const again = await anthropic.messages.create({
    model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: message.content },
               { role: 'user', content: 'hello' }],
  });
  return { ...summary(again), first: summary(message) };
}

// tool_use, then the tool's result back, streamed the second time.
async function toolRoundTrip() {
  const question = { role: 'user', content: 'What is the weather in Paris?' };
  const first = await anthropic.messages.create({ model, max_tokens: 512, tools: [weatherTool], messages: [question] });
  const call = first.content.find((b) => b.type === 'tool_use');
  if (!call) throw new Error(`no tool_use block: ${JSON.stringify(first)}`);
  if (first.stop_reason !== 'tool_use') throw new Error(`stop_reason ${first.stop_reason}`);
  const s = anthropic.messages.stream({
    model, max_tokens: 512, tools: [weatherTool],
    messages: [question, { role: 'assistant', content: first.content },
               { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: TOOL_RESULT }] }],
  });
  const second = await s.finalMessage();
  return { tool: call.name, input: call.input, text: textOf(second), usage: second.usage, stop_reason: second.stop_reason };
}

async function countTokens() {
  return anthropic.messages.countTokens({
    model, tools: [weatherTool], system: 'Be brief.', messages: [{ role: 'user', content: 'hello' }],
  });
}

async function overloaded() {
  return summary(await anthropic.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] }));
}

async function aiGenerate() {
  const r = await generateText({ model: ai(model), prompt: 'hello', maxRetries: 0,
                                 abortSignal: AbortSignal.timeout(TIMEOUT_MS) });
  return { text: r.text, thinking: r.reasoningText ?? '', usage: r.usage, finish_reason: r.finishReason };
}

async function aiStream() {
  let streamError;
  const r = streamText({ model: ai(model), prompt: 'hello', maxRetries: 0, abortSignal: AbortSignal.timeout(TIMEOUT_MS),
                         onError: ({ error }) => { streamError = error; } });
  let text = '';
  for await (const piece of r.textStream) text += piece;
  if (streamError) throw streamError;
  return { text, thinking: (await r.reasoningText) ?? '', usage: await r.usage, finish_reason: await r.finishReason };
}

async function aiTool() {
  let input;
  const r = await generateText({
    model: ai(model),
    tools: {
      get_weather: tool({ description: 'Current weather in a city', inputSchema: z.object({ city: z.string() }),
                            execute: async (args) => { input = args; return { temp_c: 21 }; } }),
    },
    prompt: 'What is the weather in Paris?',
    stopWhen: stepCountIs(3),
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const calls = r.steps.flatMap((s) => s.toolCalls);
  return { tool: calls[0]?.toolName ?? null, input: input ?? null, text: r.text, steps: r.steps.length, usage: r.usage };
}

await runCase({ create, stream, thinking, toolRoundTrip, countTokens, overloaded, aiGenerate, aiStream, aiTool });
