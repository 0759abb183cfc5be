import { sql } from 'drizzle-orm';
import { createRequire } from 'node:module';
import type { TelegramServer as TelegramServerType } from 'telegram-test-api/lib/telegramServer.js';
import { toVariants, variantOf, recommenderExperimentInputSchema } from '../../core/experiments/index.js';
import { RANKER_FEATURES } from '../../core/recommend/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { buildTestChannel, freePort, testTelegramConfig } from './telegram-support.js';

interface BotMessage {
  text: string;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> };
}

const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as typeof TelegramServerType;
const TOKEN = '5550002:e2e-recexp-token-abcdefghij';

/*
 * The real telegraf bot against telegram-test-api: a follower's /recommend is served by the
 * running recommender experiment's variant for them, and the list shown is logged as a Telegram
 * exposure of that variant, with the courses on the buttons.
 */
describe.each(testTargets())('a recommender experiment through the Telegram bot on %s', (target) => {
  let database: Database;
  let server: TelegramServerType;
  let channel: ReturnType<typeof buildTestChannel>;
  let apiURL: string;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
    await server.start();
    apiURL = server.config.apiURL;
    channel = buildTestChannel(database, testTelegramConfig(apiURL), TOKEN);
    await channel.service.start();
  });
  afterAll(async () => {
    await channel.service.stop();
    await channel.recommenderEngine.experiments.exposures.stop();
    await server.stop();
    await database.close();
  });

  async function repliesTo(chatId: number, count = 1, timeoutMs = 8000): Promise<BotMessage[]> {
    const got: BotMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < count && Date.now() < deadline) {
      const response = await fetch(`${apiURL}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN, chatId }) });
      const body = (await response.json()) as { result: Array<{ message: BotMessage }> };
      got.push(...body.result.map((u) => u.message));
      if (got.length < count) await new Promise((r) => setTimeout(r, 50));
    }
    return got;
  }

  it('serves /recommend from the follower\'s variant and logs the list shown as a Telegram exposure', async () => {
    const { repository } = channel.recommenderEngine.experiments;
    const input = recommenderExperimentInputSchema.parse({
      name: 'telegram',
      variants: [{ sharePercent: 50 }, { sharePercent: 50, ranker: 'untrained_blend', blendWeights: Object.fromEntries(RANKER_FEATURES.map((f) => [f, 0])) }],
    });
    const experiment = await repository.create({ name: input.name, variants: toVariants(input), attributionHours: input.attributionHours, createdBy: null }, { actor: 'test', action: 'recommender_experiment.create' });
    expect(await repository.start(experiment.id, new Date(), { actor: 'test', action: 'recommender_experiment.start' })).toBe('started');

    const users = [9101, 9102, 9103, 9104];
    const buttons = new Map<number, string[]>();
    for (const userId of users) {
      const client = server.getClient(TOKEN, { userId, chatId: userId, firstName: `U${userId}` });
      await client.sendCommand(client.makeCommand('/recommend'));
      const [picks] = await repliesTo(userId);
      expect(picks!.text).toContain('为你挑了这几门');
      buttons.set(userId, (picks!.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data?.startsWith('buy:') ? [b.callback_data.slice(4)] : [])));
    }
    await channel.recommenderEngine.experiments.exposures.flush();

    for (const userId of users) {
      const follower = (await channel.repos.followers.findByIdentity('telegram', String(userId)))!;
      const rows = await queryRows<{ variant: string; channel: string; course_ids: string[] }>(
        database.db,
        sql`SELECT variant, channel, course_ids::text[] AS course_ids FROM recommender_exposures WHERE follower_id = ${follower.id}::uuid`,
      );
      expect(rows).toEqual([{ variant: variantOf(experiment, follower.id).key, channel: 'telegram', course_ids: buttons.get(userId) }]);
    }
  });
});
