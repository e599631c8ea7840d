// POST /v1/embeddings through the npm clients: openai's embeddings.create with its default (it asks
// for base64 and decodes it itself) and with encoding_format 'float', and the Vercel AI SDK's
// embed/embedMany over @ai-sdk/openai's textEmbeddingModel. Usage: node embeddings.mjs CASE
// (SWITCHYARD_URL, SWITCHYARD_KEY, MODEL from the environment). Prints one JSON line with what the
// client saw; tst_embeddings.cpp compares the vectors with the fake provider's.
import OpenAI from 'openai';
import { embed, embedMany } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { headersOf, runCase } from './common.mjs';

const baseURL = process.env.SWITCHYARD_URL;
const apiKey = process.env.SWITCHYARD_KEY;
const model = process.env.MODEL || 'auto';
const TIMEOUT_MS = 30_000;
globalThis.AI_SDK_LOG_WARNINGS = false;

const openai = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: TIMEOUT_MS });
const ai = createOpenAI({ baseURL, apiKey });

// What the SDK put on the wire, seen through its fetch.
let asked = null;
const watching = new OpenAI({
  baseURL, apiKey, maxRetries: 0, timeout: TIMEOUT_MS,
  fetch: async (url, init) => {
    asked = JSON.parse(init.body).encoding_format ?? null;
    return fetch(url, init);
  },
});

// Plain arrays of numbers, whatever the client returned (Float32Array-backed or not).
const plain = (vectors) => vectors.map((v) => Array.from(v));

async function openaiDefault() {
  const { data, response } = await watching.embeddings.create({ model, input: ['alpha', 'beta'] }).withResponse();
  return { vectors: plain(data.data.map((d) => d.embedding)), indexes: data.data.map((d) => d.index),
           usage: data.usage, model: data.model, asked, headers: headersOf(response.headers) };
}

async function openaiFloat() {
  const data = await openai.embeddings.create({ model, input: 'gamma', encoding_format: 'float', dimensions: 8 });
  return { vectors: plain(data.data.map((d) => d.embedding)), usage: data.usage, model: data.model };
}

async function aiEmbed() {
  const { embedding, usage } = await embed({ model: ai.textEmbeddingModel(model), value: 'sunny day', maxRetries: 0 });
  return { vectors: plain([embedding]), tokens: usage?.tokens ?? null };
}

async function aiEmbedMany() {
  const values = Array.from({ length: 12 }, (_, i) => `value ${i}`);
  const { embeddings, usage } = await embedMany({ model: ai.textEmbeddingModel(model), values, maxRetries: 0 });
  return { vectors: plain(embeddings), tokens: usage?.tokens ?? null };
}

await runCase({
  'openai-default': openaiDefault,
  'openai-float': openaiFloat,
  'ai-embed': aiEmbed,
  'ai-embed-many': aiEmbedMany,
});
