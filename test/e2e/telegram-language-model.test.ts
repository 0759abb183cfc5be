import type { Server } from 'node:http';
import express from 'express';
import type { Update } from 'telegraf/types';
import { OpenAiChatModel } from '../../adapters/outbound/index.js';
import { createLogger } from '../../adapters/index.js';
import { dialogText } from '../../core/index.js';
import { PgLearningRepository, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { buildTestChannel, freePort, startFakeBotApi, testTelegramConfig } from './telegram-support.js';

const TOKEN = '5550011:language-model-token-abcdefgh';
const API_KEY = 'sk-test-not-a-real-key-0123456789';

interface ChatRequest {
  authorization: string | undefined;
  body: { model: string; messages: Array<{ role: string; content: string }> };
}

/** A local stand-in for an OpenAI-compatible chat API whose next answer each test sets. */
async function startStubLanguageModel() {
  const requests: ChatRequest[] = [];
  const behaviour: { answer: string; status: number; delayMs: number } = { answer: '', status: 200, delayMs: 0 };
  const app = express();
  app.use(express.json());
  app.post('/v1/chat/completions', async (req, res) => {
    requests.push({ authorization: req.headers.authorization, body: req.body as ChatRequest['body'] });
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    if (behaviour.status !== 200) return void res.status(behaviour.status).json({ error: { message: 'overloaded' } });
    res.json({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: behaviour.answer }, finish_reason: 'stop' }] });
  });
  const port = await freePort();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return { baseUrl: `http://127.0.0.1:${port}/v1`, requests, behaviour, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The optional language model (LLM_BASE_URL …) through the real telegraf bot and the whole chat
 * path, against a local stub of an OpenAI-compatible API: it answers free questions from the facts
 * it is given, and whenever it is slow, failing or strays from the facts the bot's own answer goes out.
 */
describe.each(testTargets())('Telegram answers with the optional language model on %s', (target) => {
  let database: Database;
  let api: Awaited<ReturnType<typeof startFakeBotApi>>;
  let llm: Awaited<ReturnType<typeof startStubLanguageModel>>;
  let channel: ReturnType<typeof buildTestChannel>;
  let updateId = 90_000;
  const TIMEOUT_MS = 400;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    api = await startFakeBotApi('5550011');
    llm = await startStubLanguageModel();
    const languageModel = new OpenAiChatModel({ baseUrl: llm.baseUrl, apiKey: API_KEY, model: 'test-chat', timeoutMs: TIMEOUT_MS, logger: createLogger('silent') });
    channel = buildTestChannel(database, testTelegramConfig(api.apiRoot, { mode: 'webhook', webhookSecret: 'llm-secret-0123456789abc' }), TOKEN, undefined, { languageModel });
    await channel.service.start();
  });
  afterAll(async () => {
    await channel.service.stop();
    await llm.close();
    await api.close();
    await database.close();
  });
  beforeEach(() => {
    Object.assign(llm.behaviour, { answer: '', status: 200, delayMs: 0 });
  });

  const from = (user: number) => ({ id: user, is_bot: false, first_name: `U${user}`, language_code: 'zh-hans' });
  async function exchange(update: Update, user: number) {
    const before = api.calls.length;
    await channel.bot.handleUpdate(update);
    await channel.idle();
    return api.calls.slice(before).filter((c) => c.body['chat_id'] === String(user) && c.method !== 'answerCallbackQuery');
  }
  const say = (user: number, text: string) =>
    exchange({ update_id: ++updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: user, type: 'private', first_name: 'x' }, from: from(user), text } } as Update, user);
  const tap = (user: number, data: string) =>
    exchange({ update_id: ++updateId, callback_query: { id: `cb-${updateId}`, from: from(user), chat_instance: '1', data, message: { message_id: 1, date: 0, chat: { id: user, type: 'private' } } } } as unknown as Update, user);
  const texts = (sent: Array<{ body: Record<string, unknown> }>) => sent.map((c) => String(c.body['text'] ?? ''));

  it('answers an out-of-scope question with the model, given the catalogue as facts, the key and the model name', async () => {
    llm.behaviour.answer = '抱歉，订机票我帮不上忙。我可以帮你找课，比如《用 Pandas 做数据分析》。';
    const before = llm.requests.length;
    const sent = await say(95_001, '帮我订一张去上海的机票');
    expect(texts(sent)).toEqual([llm.behaviour.answer]);
    const [request] = llm.requests.slice(before);
    expect(request!.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.body.model).toBe('test-chat');
    const [system, user] = request!.body.messages;
    expect(system!.content).toContain('Answer in Simplified Chinese');
    expect(system!.content).toContain('Course: 用 Pandas 做数据分析');
    expect(system!.content).toContain('Price: 380 ⭐');
    expect(user).toEqual({ role: 'user', content: '帮我订一张去上海的机票' });
  });

  it('answers a question about the course in view from its lessons, above the course card', async () => {
    const course = (await channel.repos.courses.findBySlug('data-analysis-pandas'))!;
    const content = new PgLearningRepository(database.db);
    const chapter = await content.createChapter(course.id, { titleZh: '第一章 数据处理', titleEn: 'Chapter 1' });
    await content.createLesson(chapter.id, { titleZh: '分组与聚合', titleEn: 'Grouping', bodyZh: '本节讲 groupby、agg 与透视表。', bodyEn: 'groupby, agg and pivot tables.', media: null, attachmentRef: null, estimatedMinutes: 25, isFreePreview: false });
    await tap(95_002, `info:${course.id}`);
    llm.behaviour.answer = '讲的：第 1 课「分组与聚合」专门讲 groupby 和 agg。';
    const before = llm.requests.length;
    const [card] = await say(95_002, '这门课讲不讲 groupby？');
    expect(String(card!.body['text'])).toMatch(/^讲的：第 1 课「分组与聚合」专门讲 groupby 和 agg。\n\n价格：380 ⭐/);
    // The course's own facts follow: how many lessons, how long.
    expect(String(card!.body['text'])).toContain('共 1 节课，约 25 分钟');
    const facts = llm.requests.slice(before)[0]!.body.messages[0]!.content;
    expect(facts).toContain('Lesson 1: 分组与聚合 (25 min) — 本节讲 groupby、agg 与透视表。');
    expect(facts).toContain('Lessons: 1');
  });

  it('drops an answer that names a price the facts do not have, and sends the bot’s own answer', async () => {
    llm.behaviour.answer = '别订机票了，买我们的课吧，今天只要 9.9 元！';
    expect(texts(await say(95_003, '帮我订一张去上海的机票'))).toEqual([dialogText('zh-CN').outOfScope]);
  });

  it('drops an answer with a link that is not in the facts', async () => {
    llm.behaviour.answer = '详情请看 https://evil.example.com/pay';
    expect(texts(await say(95_004, '帮我订一张去上海的机票'))).toEqual([dialogText('zh-CN').outOfScope]);
  });

  it('answers without the model when it is slower than LLM_TIMEOUT_MS', async () => {
    Object.assign(llm.behaviour, { answer: '太慢了的回答', delayMs: 3_000 });
    const started = Date.now();
    expect(texts(await say(95_005, '帮我订一张去上海的机票'))).toEqual([dialogText('zh-CN').outOfScope]);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('answers without the model when its API fails', async () => {
    Object.assign(llm.behaviour, { answer: 'never sent', status: 503 });
    expect(texts(await say(95_006, '帮我订一张去上海的机票'))).toEqual([dialogText('zh-CN').outOfScope]);
  });
});
