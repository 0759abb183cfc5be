import { sql } from 'drizzle-orm';
import { checkIn, completeLesson, ZhiliaoError, type Clock, type LearningDeps } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { createRepositories, PgUnitOfWork } from '../repositories/pg-unit-of-work.js';
import { PgLearningRepository } from '../repositories/pg-learning-repository.js';

const DAY_MS = 86_400_000;
const TEACHERS = ['林老师', '陈老师', 'Emma Li', '王老师', 'David Zhou', '周老师'];

/** Two chapters of three lessons, titled after the course; the first lesson is a free preview. */
const OUTLINE: Array<{ zh: string; en: string; lessons: Array<[zh: string, en: string, minutes: number]> }> = [
  { zh: '第一章 入门', en: 'Chapter 1: Getting started', lessons: [['课程导学与学习方法', 'Welcome and how to learn', 8], ['核心概念', 'Core ideas', 15], ['第一次动手练习', 'Your first exercise', 20]] },
  { zh: '第二章 实战', en: 'Chapter 2: In practice', lessons: [['真实案例拆解', 'A real case, step by step', 18], ['常见错误与避坑', 'Common mistakes to avoid', 12], ['结课作业与下一步', 'Final project and next steps', 25]] },
];

/**
 * Demo learning, once: a teacher, a cover and two chapters of lessons for every demo course, one
 * drip course and one cohort, and demo buyers at different stages (not started, one lesson, half,
 * finished with a certificate, with check-ins) recorded through the real use cases on a clock set
 * to each past day. Does nothing when the courses already have lessons. Returns how many lessons
 * it added.
 *
 * @example
 * await seedDemoLearning({ db, clock: systemClock });
 */
export async function seedDemoLearning(deps: { db: Db; clock: Clock }): Promise<number> {
  const content = new PgLearningRepository(deps.db);
  const repos = createRepositories(deps.db);
  const { items: courses } = await repos.courses.list({ page: 1, pageSize: 100 });
  const now = deps.clock.now();
  let added = 0;
  for (const [i, course] of courses.entries()) {
    if ((await content.outline(course.id)).chapters.length > 0) continue;
    await queryRows(deps.db, sql`UPDATE courses SET teacher_name = ${TEACHERS[i % TEACHERS.length]!}, cover_url = ${`https://picsum.photos/seed/${course.slug}/640/360`}
      WHERE id = ${course.id}::uuid AND teacher_name = '' RETURNING id`);
    for (const chapter of OUTLINE) {
      const created = await content.createChapter(course.id, { titleZh: chapter.zh, titleEn: chapter.en });
      for (const [zh, en, minutes] of chapter.lessons) {
        const isFirst = added % 6 === 0;
        await content.createLesson(created.id, {
          titleZh: zh, titleEn: en,
          bodyZh: `《${course.titleZh}》：${zh}。\n\n先通读本节要点，再完成文末的小练习。`,
          bodyEn: `"${course.titleEn}": ${en}.\n\nRead the key points first, then do the short exercise at the end.`,
          media: isFirst ? { kind: 'video', url: `https://media.example.com/${course.slug}/intro.mp4` } : { kind: 'link', url: `https://docs.example.com/${course.slug}` },
          attachmentRef: isFirst ? null : `https://files.example.com/${course.slug}/worksheet.pdf`,
          estimatedMinutes: minutes, isFreePreview: isFirst,
        });
        added += 1;
      }
    }
  }
  if (added === 0) return 0;
  // Pacing examples: the writing challenge drips a lesson a day; IELTS runs as a cohort starting in
  // two weeks, enrolment open for ten more days.
  await queryRows(deps.db, sql`UPDATE courses SET pacing = 'drip', drip_every_days = 1 WHERE slug IN ('writing-that-sells', 'home-workout') AND pacing = 'self_paced' RETURNING id`);
  await queryRows(deps.db, sql`UPDATE courses SET pacing = 'cohort', cohort_starts_at = ${new Date(now.getTime() + 14 * DAY_MS).toISOString()}::timestamptz,
    enrolment_closes_at = ${new Date(now.getTime() + 10 * DAY_MS).toISOString()}::timestamptz WHERE slug = 'ielts-7' AND pacing = 'self_paced' RETURNING id`);
  await seedLearners(deps, content);
  return added;
}

/** Buyers at four stages, each completion and check-in made by the use case on its own past day. */
async function seedLearners(deps: { db: Db; clock: Clock }, content: PgLearningRepository): Promise<void> {
  const repos = createRepositories(deps.db);
  const uow = new PgUnitOfWork(deps.db);
  const enrolled = await queryRows<{ follower_id: string; course_id: string }>(
    deps.db,
    sql`SELECT follower_id, course_id FROM entitlements WHERE revoked_at IS NULL ORDER BY granted_at, follower_id LIMIT 60`,
  );
  const now = deps.clock.now().getTime();
  for (const [i, row] of enrolled.entries()) {
    const stage = i % 4;
    if (stage === 0) continue;
    const enrolment = await content.enrolment(row.follower_id, row.course_id);
    const lessons = (await content.outline(row.course_id)).chapters.flatMap((c) => c.lessons);
    const target = stage === 1 ? 1 : stage === 2 ? Math.ceil(lessons.length / 2) : lessons.length;
    for (const [j, lesson] of lessons.slice(0, target).entries()) {
      const at = enrolment!.enrolledAt.getTime() + j * DAY_MS + 3_600_000;
      if (at > now) break;
      const clock: Clock = { now: () => new Date(at) };
      const depsAt: LearningDeps = { learning: content, courses: repos.courses, followers: repos.followers, events: { uow, clock, metrics: { eventsRecorded: () => undefined } }, clock };
      try {
        await completeLesson(depsAt, { followerId: row.follower_id, lessonId: lesson.id, platform: 'miniprogram' });
        await checkIn(depsAt, { followerId: row.follower_id, courseId: row.course_id, text: `打卡 第${j + 1}天`, platform: 'wechat' });
      } catch (error) {
        // A lesson not open yet on that day (drip, cohort): this learner stops there.
        if (error instanceof ZhiliaoError) break;
        throw error;
      }
    }
  }
}
