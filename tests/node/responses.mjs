// The Responses door (POST /v1/responses) through the clients that call it: the official openai
// package (responses.create, responses.stream, function-call round trips with and without
// previous_response_id) and the Vercel AI SDK's default @ai-sdk/openai model, which is the Responses
// model (generateText, streamText, a tool call). Usage: node responses.mjs CASE (SWITCHYARD_URL,
// SWITCHYARD_KEY, MODEL from the environment). Prints one JSON line with what the client saw; a
// thrown error becomes {"error":{...}} and the exit code stays 0.
import OpenAI from 'openai';
import { z } from 'zod';
import { generateText, streamText, stepCountIs, tool as aiTool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { headersOf, runCase } from './common.mjs';

const baseURL = process.env.SWITCHYARD_URL;
const apiKey = process.env.SWITCHYARD_KEY;
const model = process.env.MODEL || 'auto';
const TIMEOUT_MS = 30_000;
globalThis.AI_SDK_LOG_WARNINGS = false;   // keep the AI SDK's warnings off stderr

const openai = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: TIMEOUT_MS });

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'],
                additionalProperties: false },
  strict: true,
};
const TOOL_RESULT = '{"temp_c":21}';
const QUESTION = 'What is the weather in Paris?';

function usageOf(u) {
  return u ? { input_tokens: u.input_tokens, output_tokens: u.output_tokens, total_tokens: u.total_tokens,
               cached_tokens: u.input_tokens_details?.cached_tokens ?? null,
               reasoning_tokens: u.output_tokens_details?.reasoning_tokens ?? null } : null;
}

function callsOf(output) {
  return output.filter((i) => i.type === 'function_call')
    .map((c) => ({ id: c.id, call_id: c.call_id, name: c.name, arguments: c.arguments }));
}

async function openaiCreate() {
  const { data, response } = await openai.responses
    .create({ model, input: 'hello', instructions: 'Answer briefly.' }).withResponse();
  return { id: data.id, object: data.object, status: data.status, model: data.model, output_text: data.output_text,
           output_types: data.output.map((i) => i.type), usage: usageOf(data.usage), headers: headersOf(response.headers) };
}

async function openaiStream() {
  const stream = openai.responses.stream({ model, input: 'hello' });
  const types = [];
  const sequence = [];
  let text = '';
  let reasoning = '';
  for await (const event of stream) {
    types.push(event.type);
    sequence.push(event.sequence_number);
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.reasoning_summary_text.delta') reasoning += event.delta;
  }
  const final = await stream.finalResponse();
  // finalResponse() fills output_text only for parsed (text.format) requests: read the message itself.
  const finalText = final.output.filter((i) => i.type === 'message')
    .flatMap((m) => m.content.filter((c) => c.type === 'output_text').map((c) => c.text)).join('');
  return { types, sequence, text, reasoning, output_text: finalText, status: final.status,
           output_types: final.output.map((i) => i.type), usage: usageOf(final.usage) };
}

// A function call, then its output sent back: as the whole history, or after previous_response_id.
async function openaiTools(previous) {
  const input = [{ role: 'user', content: QUESTION }];
  const first = await openai.responses.create({ model, input, tools: [weatherTool] });
  const calls = callsOf(first.output);
  const outputs = calls.map((c) => ({ type: 'function_call_output', call_id: c.call_id, output: TOOL_RESULT }));
  const second = previous
    ? await openai.responses.create({ model, previous_response_id: first.id, input: outputs, tools: [weatherTool] })
    : await openai.responses.create({ model, input: [...input, ...first.output, ...outputs], tools: [weatherTool] });
  return { calls, first_usage: usageOf(first.usage), text: second.output_text, status: second.status,
           usage: usageOf(second.usage) };
}

async function openaiToolsStream() {
  const stream = openai.responses.stream({ model, input: [{ role: 'user', content: QUESTION }], tools: [weatherTool] });
  let args = '';
  for await (const event of stream) {
    if (event.type === 'response.function_call_arguments.delta') args += event.delta;
  }
  const final = await stream.finalResponse();
  return { calls: callsOf(final.output), streamed_arguments: args, usage: usageOf(final.usage) };
}

// ---- the Vercel AI SDK: createOpenAI()(model) is the Responses model --------------------------

const provider = createOpenAI({ baseURL, apiKey });

function aiUsage(u) {
  return u ? { input_tokens: u.inputTokens, output_tokens: u.outputTokens, total_tokens: u.totalTokens,
               cached_tokens: u.cachedInputTokens ?? null, reasoning_tokens: u.reasoningTokens ?? null } : null;
}

async function aiSdkText() {
  const r = await generateText({ model: provider(model), prompt: 'hello', maxRetries: 0 });
  return { text: r.text, reasoning: r.reasoningText ?? '', finish_reason: r.finishReason, usage: aiUsage(r.usage) };
}

async function aiSdkStream() {
  const r = streamText({ model: provider(model), prompt: 'hello', maxRetries: 0, onError: () => {} });
  let text = '';
  for await (const piece of r.textStream) text += piece;
  return { text, finish_reason: await r.finishReason, usage: aiUsage(await r.usage) };
}

async function aiSdkTools(stream) {
  const options = {
    model: provider(model), prompt: QUESTION, maxRetries: 0, stopWhen: stepCountIs(3),
    tools: { get_weather: aiTool({ description: 'Current weather in a city', inputSchema: z.object({ city: z.string() }),
                                   execute: async () => JSON.parse(TOOL_RESULT) }) },
  };
  let r;
  if (stream) {
    r = streamText({ ...options, onError: () => {} });
    for await (const _ of r.textStream);   // eslint-disable-line no-unused-vars
  } else {
    r = await generateText(options);
  }
  const steps = await r.steps;
  const calls = steps.flatMap((s) => s.toolCalls.map((c) => ({ name: c.toolName, input: c.input })));
  return { text: await r.text, tool_calls: calls, steps: steps.length, usage: aiUsage(steps[0].usage) };
}

await runCase({
  'openai-create': openaiCreate,
  'openai-stream': openaiStream,
  'openai-tools': () => openaiTools(false),
  'openai-tools-previous': () => openaiTools(true),
  'openai-tools-stream': openaiToolsStream,
  'ai-sdk-text': aiSdkText,
  'ai-sdk-stream': aiSdkStream,
  'ai-sdk-tools': () => aiSdkTools(false),
  'ai-sdk-tools-stream': () => aiSdkTools(true),
});
