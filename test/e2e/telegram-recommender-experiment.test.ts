import { sql } from 'drizzle-orm';
import { recommenderExperimentInputSchema, toVariants, variantOf } from '../../core/experiments/index.js';
import { systemClock } from '../../core/index.js';
import { RANKER_FEATURES } from '../../core/recommend/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { startEmulatedTelegram } from './telegram-support.js';

const TOKEN = '5550002:e2e-recexp-token-abcdefghij';

/*
 * The real telegraf bot against telegram-test-api: a follower's /recommend is served by the
 * running recommender experiment's variant for them, and the list shown is logged as a Telegram
 * exposure of that variant, with the courses on the buttons.
 */
describe.each(testTargets())('a recommender experiment through the Telegram bot on %s', (target) => {
  let database: Database;
  let telegram: Awaited<ReturnType<typeof startEmulatedTelegram>>;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    telegram = await startEmulatedTelegram(database, TOKEN, systemClock);
  });
  afterAll(async () => {
    await telegram.stop();
    await telegram.channel.recommenderEngine.experiments.exposures.stop();
    await database.close();
  });

  it('serves /recommend from the follower\'s variant and logs the list shown as a Telegram exposure', async () => {
    const { repository } = telegram.channel.recommenderEngine.experiments;
    const input = recommenderExperimentInputSchema.parse({
      name: 'telegram',
      variants: [{ sharePercent: 50 }, { sharePercent: 50, ranker: 'untrained_blend', blendWeights: Object.fromEntries(RANKER_FEATURES.map((f) => [f, 0])) }],
    });
    const experiment = await repository.create({ name: input.name, variants: toVariants(input), attributionHours: input.attributionHours, createdBy: null }, { actor: 'test', action: 'recommender_experiment.create' });
    expect(await repository.start(experiment.id, new Date(), { actor: 'test', action: 'recommender_experiment.start' })).toBe('started');

    const users = [9101, 9102, 9103, 9104];
    const buttons = new Map<number, string[]>();
    for (const userId of users) {
      const client = telegram.server.getClient(TOKEN, { userId, chatId: userId, firstName: `U${userId}` });
      await client.sendCommand(client.makeCommand('/recommend'));
      const picks = await telegram.until(userId, (m) => m.text.includes('为你挑了这几门'), 'the picks');
      buttons.set(userId, (picks.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data?.startsWith('buy:') ? [b.callback_data.slice(4)] : [])));
    }
    await telegram.channel.recommenderEngine.experiments.exposures.flush();

    for (const userId of users) {
      const follower = (await telegram.channel.repos.followers.findByIdentity('telegram', String(userId)))!;
      const rows = await queryRows<{ variant: string; channel: string; course_ids: string[] }>(
        database.db,
        sql`SELECT variant, channel, course_ids::text[] AS course_ids FROM recommender_exposures WHERE follower_id = ${follower.id}::uuid`,
      );
      expect(rows).toEqual([{ variant: variantOf(experiment, follower.id).key, channel: 'telegram', course_ids: buttons.get(userId) }]);
    }

    // Within a budget the follower said, the list logged is the list shown, not what was filtered out.
    const userId = 9105;
    const client = telegram.server.getClient(TOKEN, { userId, chatId: userId, firstName: 'Budget' });
    await client.sendMessage(client.makeMessage('推荐一下300元以内的课'));
    const picks = await telegram.until(userId, (m) => (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data?.startsWith('buy:')), 'the picks within budget');
    const shown = (picks.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data?.startsWith('buy:') ? [b.callback_data.slice(4)] : []));
    const prices = await queryRows<{ price_minor: number }>(database.db, sql`SELECT price_minor FROM courses WHERE id = ANY(${`{${shown.join(',')}}`}::uuid[])`);
    expect(prices.length).toBe(shown.length);
    expect(prices.every((p) => p.price_minor <= 30000)).toBe(true);
    await telegram.channel.recommenderEngine.experiments.exposures.flush();
    const follower = (await telegram.channel.repos.followers.findByIdentity('telegram', String(userId)))!;
    const logged = await queryRows<{ course_ids: string[] }>(database.db, sql`SELECT course_ids::text[] AS course_ids FROM recommender_exposures WHERE follower_id = ${follower.id}::uuid`);
    expect(logged).toEqual([{ course_ids: shown }]);
  });
});
