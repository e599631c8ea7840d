// Structured output, tool calls and errors through the npm clients teams use against Switchyard's
// local endpoint: openai (parse helpers, tool round trips), the Vercel AI SDK with
// @ai-sdk/openai-compatible, and LangChain's ChatOpenAI. Usage: node clients.mjs CASE
// (SWITCHYARD_URL, SWITCHYARD_KEY, MODEL from the environment). Prints one JSON line with what the
// client saw; a thrown error becomes {"error":{...}} and the exit code stays 0.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';   // zod 4; openai's helper, the AI SDK and LangChain all accept it
import { generateObject, streamObject, generateText, stepCountIs, tool as aiTool } from 'ai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatOpenAI } from '@langchain/openai';
import { tool as lcTool } from '@langchain/core/tools';
import { errorOf, headersOf, runCase } from './common.mjs';

const baseURL = process.env.SWITCHYARD_URL;
const apiKey = process.env.SWITCHYARD_KEY;
const model = process.env.MODEL || 'auto';
const TIMEOUT_MS = 30_000;
globalThis.AI_SDK_LOG_WARNINGS = false;   // keep the AI SDK's warnings off stderr

const Weather = z.object({ city: z.string(), temperature_c: z.number(), sunny: z.boolean() });

// ---- openai ---------------------------------------------------------------------------------

const openai = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: TIMEOUT_MS });

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'],
                  additionalProperties: false },
  },
};
const timeTool = {
  type: 'function',
  function: {
    name: 'get_time',
    description: 'Current local time in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'],
                  additionalProperties: false },
  },
};
const TOOL_RESULT = '{"temp_c":21}';

async function openaiParse() {
  const { data, response } = await openai.chat.completions
    .parse({ model, messages: [{ role: 'user', content: 'What is the weather in Paris? Answer as JSON.' }],
             response_format: zodResponseFormat(Weather, 'weather') })
    .withResponse();
  const choice = data.choices[0];
  return { parsed: choice.message.parsed, content: choice.message.content, finish_reason: choice.finish_reason,
           headers: headersOf(response.headers) };
}

async function openaiParseStream() {
  const runner = openai.chat.completions.stream({
    model, messages: [{ role: 'user', content: 'What is the weather in Paris? Answer as JSON.' }],
    response_format: zodResponseFormat(Weather, 'weather'),
  });
  const final = await runner.finalChatCompletion();
  const m = final.choices[0].message;
  return { parsed: m.parsed, content: m.content };
}

function toolCallsOf(calls) {
  return (calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
}

function toolResults(calls) {
  return (calls ?? []).map((c) => ({ role: 'tool', tool_call_id: c.id, content: TOOL_RESULT }));
}

async function openaiTools() {
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await openai.chat.completions
    .create({ model, messages, tools: [weatherTool], tool_choice: 'required' }).withResponse();
  const c1 = first.data.choices[0];
  const assistant = { ...c1.message };   // as the SDK returned it, minus what clients drop
  delete assistant.reasoning_content;
  messages.push(assistant, ...toolResults(c1.message.tool_calls));
  const second = await openai.chat.completions
    .create({ model, messages, tools: [weatherTool], tool_choice: 'auto' }).withResponse();
  const c2 = second.data.choices[0];
  return {
    first: { finish_reason: c1.finish_reason, tool_calls: toolCallsOf(c1.message.tool_calls), content: c1.message.content },
    second: { content: c2.message.content, finish_reason: c2.finish_reason },
    headers_first: headersOf(first.response.headers),
    headers_second: headersOf(second.response.headers),
  };
}

// One streamed call; the assistant message assembled from the deltas (tool calls by index).
async function streamedTurn(params) {
  const { data: stream, response } = await openai.chat.completions.create({ ...params, stream: true }).withResponse();
  let content = null;
  let finish_reason = null;
  const calls = [];
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      const d = choice.delta ?? {};
      if (typeof d.content === 'string') content = (content ?? '') + d.content;
      for (const tc of d.tool_calls ?? []) {
        const slot = calls[tc.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
        if (tc.id) slot.id = tc.id;
        if (tc.type) slot.type = tc.type;
        if (tc.function?.name) slot.function.name += tc.function.name;
        if (tc.function?.arguments) slot.function.arguments += tc.function.arguments;
      }
      if (choice.finish_reason) finish_reason = choice.finish_reason;
    }
  }
  const tool_calls = calls.filter(Boolean);
  const message = { role: 'assistant', content };
  if (tool_calls.length) message.tool_calls = tool_calls;
  return { message, finish_reason, headers: headersOf(response.headers) };
}

async function openaiToolsStream() {
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await streamedTurn({ model, messages, tools: [weatherTool], tool_choice: 'required' });
  messages.push(first.message, ...toolResults(first.message.tool_calls));
  const second = await streamedTurn({ model, messages, tools: [weatherTool], tool_choice: 'auto' });
  return {
    first: { finish_reason: first.finish_reason, tool_calls: toolCallsOf(first.message.tool_calls),
             content: first.message.content },
    second: { content: second.message.content, finish_reason: second.finish_reason },
    headers_first: first.headers,
    headers_second: second.headers,
  };
}

async function openaiParallel() {
  const { data, response } = await openai.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'Weather and local time in Paris, please, both tools in parallel.' }],
              tools: [weatherTool, timeTool], parallel_tool_calls: true, tool_choice: 'required' })
    .withResponse();
  const c = data.choices[0];
  return {
    finish_reason: c.finish_reason,
    tool_calls: (c.message.tool_calls ?? []).map((t, i) => ({ index_in_array: i, id: t.id, name: t.function.name,
                                                              arguments: t.function.arguments })),
    headers: headersOf(response.headers),
  };
}

async function openaiStopSeed() {
  const { data, response } = await openai.chat.completions
    .create(/** @type {any} */ ({
      model,
      messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', name: 'alice', content: 'hello' }],
      stop: ['END'], seed: 42, user: 'alice', presence_penalty: 0.5, frequency_penalty: 0.25,
      logit_bias: { '50256': -100 }, reasoning_effort: 'low',
      x_custom_field: { keep: true },
    }))
    .withResponse();
  const c = data.choices[0];
  return { content: c.message.content, finish_reason: c.finish_reason, headers: headersOf(response.headers) };
}

async function openaiError() {
  try {
    const { data, response } = await openai.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    const c = data.choices[0];   // the test expected a failure; show what came instead
    return { content: c.message.content, finish_reason: c.finish_reason, headers: headersOf(response.headers) };
  } catch (e) {
    return { error: errorOf(e), headers: e.headers ? headersOf(e.headers) : {} };
  }
}

// ---- Vercel AI SDK --------------------------------------------------------------------------

function aiModel() {
  return createOpenAICompatible({ name: 'switchyard', baseURL, apiKey, supportsStructuredOutputs: true })
    .chatModel(model);
}

async function aiSdkObject() {
  const r = await generateObject({ model: aiModel(), schema: Weather, prompt: 'What is the weather in Paris?',
                                   maxRetries: 0, abortSignal: AbortSignal.timeout(TIMEOUT_MS) });
  return { object: r.object, finish_reason: r.finishReason, usage: r.usage, headers: headersOf(r.response?.headers) };
}

async function aiSdkObjectStream() {
  let streamError;
  const r = streamObject({ model: aiModel(), schema: Weather, prompt: 'What is the weather in Paris?',
                           maxRetries: 0, abortSignal: AbortSignal.timeout(TIMEOUT_MS),
                           onError: ({ error }) => { streamError = error; } });
  try {
    for await (const _ of r.partialObjectStream);   // the stream only runs while someone reads it
    if (streamError) throw streamError;   // ai 5 leaves r.object pending after a transport error
    return { object: await r.object };
  } catch (e) {
    throw streamError ?? e;   // the transport error rather than "no object generated"
  }
}

async function aiSdkTools() {
  const r = await generateText({
    model: aiModel(),
    tools: {
      get_weather: aiTool({ description: 'Current weather in a city', inputSchema: z.object({ city: z.string() }),
                            execute: async () => ({ temp_c: 21 }) }),
    },
    prompt: 'What is the weather in Paris?',
    stopWhen: stepCountIs(2),
    prepareStep: ({ stepNumber }) => ({ toolChoice: stepNumber === 0 ? 'required' : 'auto' }),
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(TIMEOUT_MS),   // ai 5 has no timeout option
  });
  return { text: r.text, steps: r.steps.length,
           tool_calls: r.steps.flatMap((s) => s.toolCalls.map((c) => c.toolName)), finish_reason: r.finishReason };
}

// ---- LangChain (ChatOpenAI over chat completions; it exposes no response headers) ------------

function chat() {
  return new ChatOpenAI({ model, apiKey, configuration: { baseURL }, maxRetries: 0, timeout: TIMEOUT_MS,
                          useResponsesApi: false });
}

async function langchainStructured() {
  return { object: await chat().withStructuredOutput(Weather, { name: 'weather' }).invoke('What is the weather in Paris?') };
}

async function langchainStructuredJsonSchema() {
  return { object: await chat().withStructuredOutput(Weather, { name: 'weather', method: 'jsonSchema' })
                                 .invoke('What is the weather in Paris?') };
}

async function langchainStructuredJsonMode() {
  // JSON mode sends only {"type":"json_object"}; the schema has to be in the prompt.
  const prompt = 'What is the weather in Paris? Answer as JSON matching this JSON schema: '
                 + JSON.stringify(z.toJSONSchema(Weather));
  return { object: await chat().withStructuredOutput(Weather, { name: 'weather', method: 'jsonMode' }).invoke(prompt) };
}

async function langchainTools() {
  const getWeather = lcTool(async () => TOOL_RESULT,
                            { name: 'get_weather', description: 'Current weather in a city',
                              schema: z.object({ city: z.string() }) });
  const llm = chat();
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const ai = await llm.bindTools([getWeather], { tool_choice: 'required' }).invoke(messages);
  const results = [];
  for (const call of ai.tool_calls ?? []) results.push(await getWeather.invoke(call));   // a ToolMessage
  const final = await llm.bindTools([getWeather]).invoke([...messages, ai, ...results]);
  return { first_tool_calls: (ai.tool_calls ?? []).map((c) => ({ name: c.name, args: c.args })),
           final: typeof final.content === 'string' ? final.content : JSON.stringify(final.content) };
}

async function langchainStream() {
  let content = '';
  for await (const chunk of await chat().stream('hello'))
    content += typeof chunk.content === 'string' ? chunk.content : '';
  return { content };
}

// ---- common ---------------------------------------------------------------------------------

// Headers (a fetch Headers object or the AI SDK's plain record) the tests look at.
const cases = {
  'openai-parse': openaiParse,
  'openai-parse-stream': openaiParseStream,
  'openai-tools': openaiTools,
  'openai-tools-stream': openaiToolsStream,
  'openai-parallel': openaiParallel,
  'openai-stop-seed': openaiStopSeed,
  'openai-error': openaiError,
  'ai-sdk-object': aiSdkObject,
  'ai-sdk-object-stream': aiSdkObjectStream,
  'ai-sdk-tools': aiSdkTools,
  'langchain-structured': langchainStructured,
  'langchain-structured-json-schema': langchainStructuredJsonSchema,
  'langchain-structured-json-mode': langchainStructuredJsonMode,
  'langchain-tools': langchainTools,
  'langchain-stream': langchainStream,
};
await runCase(cases);
