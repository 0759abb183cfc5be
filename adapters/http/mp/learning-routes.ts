import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { completeLesson, courseProgress, courseTitle, lessonUrl, listMyCourses, type CourseProgress, type LearningDeps, type LessonLinkSettings, type LessonProgress } from '../../../core/index.js';
import { idParam } from '../routes/pagination.js';
import { toCourseDto } from './course-dto.js';
import { lessonProgressRequest, localeQuery, type myCourseList, type myCourseProgress } from './schemas.js';
import { sessionOf } from './session-auth.js';

export interface MpLearningDeps {
  learning: LearningDeps;
  links: LessonLinkSettings;
}

const lessonRef = (l: LessonProgress | null, locale: string) => (l ? { id: l.lesson.id, title: courseTitle(l.lesson, locale) } : null);

function toProgressDto(p: CourseProgress, locale: string, links: LessonLinkSettings, now: Date): z.infer<typeof myCourseProgress> {
  const certificate = p.certificate && (locale.startsWith('zh') ? p.certificate.zh : p.certificate.en);
  const chapters = new Map<string, z.infer<typeof myCourseProgress>['chapters'][number]>();
  for (const l of p.lessons) {
    const chapter = chapters.get(l.chapter.id) ?? { id: l.chapter.id, title: courseTitle(l.chapter, locale), lessons: [] };
    chapters.set(l.chapter.id, chapter);
    chapter.lessons.push({
      id: l.lesson.id,
      number: l.number,
      title: courseTitle(l.lesson, locale),
      estimatedMinutes: l.lesson.estimatedMinutes,
      isFreePreview: l.lesson.isFreePreview,
      isUnlocked: l.isUnlocked,
      unlocksAt: l.unlocksAt.toISOString(),
      isCompleted: l.completedAt !== null,
      url: l.isUnlocked ? lessonUrl(links, p.follower.id, l.lesson.id, now) : null,
    });
  }
  return {
    course: toCourseDto(p.course, locale),
    enrolledAt: p.enrolledAt.toISOString(),
    percent: p.percent,
    completedLessons: p.completedCount,
    totalLessons: p.totalCount,
    nextLesson: lessonRef(p.nextLesson, locale),
    nextUnlockAt: p.nextUnlockAt?.toISOString() ?? null,
    streakDays: p.streak.currentDays,
    chapters: [...chapters.values()],
    certificate: certificate && p.certificate ? { ...certificate, completedAt: p.certificate.completedAt.toISOString() } : null,
  };
}

/**
 * The session follower's learning: `GET /my/courses`, `GET /my/courses/:id` (lessons with locked
 * or open, signed links to open ones) and `POST /my/lessons/:id/progress`. Courses not bought, or
 * refunded, answer 403; a locked lesson answers 409.
 */
export function createMpLearningRouter(deps: MpLearningDeps, requireSession: RequestHandler): Router {
  const router = Router();
  router.get('/my/courses', requireSession, async (req, res) => {
    const { locale } = localeQuery.parse(req.query);
    const mine = await listMyCourses(deps.learning, { followerId: sessionOf(res).followerId });
    const answer: z.infer<typeof myCourseList> = {
      items: mine.map((m) => ({
        course: toCourseDto(m.course, locale),
        enrolledAt: m.enrolledAt.toISOString(),
        percent: m.percent,
        completedLessons: m.completedCount,
        totalLessons: m.totalCount,
        nextLesson: lessonRef(m.nextLesson, locale),
        nextUnlockAt: m.nextUnlockAt?.toISOString() ?? null,
        hasCertificate: m.hasCertificate,
      })),
    };
    res.json(answer);
  });

  router.get('/my/courses/:id', requireSession, async (req, res) => {
    const { id } = idParam.parse(req.params);
    const { locale } = localeQuery.parse(req.query);
    const progress = await courseProgress(deps.learning, { followerId: sessionOf(res).followerId, courseId: id });
    res.json(toProgressDto(progress, locale, deps.links, deps.learning.clock.now()));
  });

  router.post('/my/lessons/:id/progress', requireSession, async (req, res) => {
    const { id } = idParam.parse(req.params);
    const { locale } = localeQuery.parse(req.query);
    lessonProgressRequest.parse(req.body);
    const { isNew, progress } = await completeLesson(deps.learning, { followerId: sessionOf(res).followerId, lessonId: id, platform: 'miniprogram' });
    res.status(isNew ? 201 : 200).json({ isNew, progress: toProgressDto(progress, locale, deps.links, deps.learning.clock.now()) });
  });
  return router;
}
