import { Router } from 'express';
import { z } from 'zod';
import {
  chapterInputSchema, chapterPatchSchema, lessonInputSchema, lessonPatchSchema, NotFoundError,
  type Chapter, type ConsoleRepositories, type ConsoleUnitOfWork, type CourseOutline, type Lesson, type Principal,
} from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { courseFor } from './admin-courses.js';
import { idParam } from './pagination.js';

export const createChapterBody = chapterInputSchema;
export const updateChapterBody = chapterPatchSchema;
export const createLessonBody = lessonInputSchema;
export const updateLessonBody = lessonPatchSchema;

const chapterParams = z.object({ id: z.uuid(), chapterId: z.uuid() });
const lessonParams = z.object({ id: z.uuid(), lessonId: z.uuid() });

/** A chapter of a course the principal may edit; 404 when it belongs to another course. */
async function chapterFor(r: ConsoleRepositories, principal: Principal, courseId: string, chapterId: string): Promise<Chapter> {
  await courseFor(r, principal, courseId);
  const chapter = await r.content.findChapter(chapterId);
  if (!chapter || chapter.courseId !== courseId) throw new NotFoundError('chapter_not_found', `No chapter ${chapterId} in course ${courseId}.`);
  return chapter;
}

/** A lesson of a course the principal may edit; 404 when it belongs to another course. */
async function lessonFor(r: ConsoleRepositories, principal: Principal, courseId: string, lessonId: string): Promise<Lesson> {
  await courseFor(r, principal, courseId);
  const lesson = await r.content.findLesson(lessonId);
  if (!lesson || lesson.courseId !== courseId) throw new NotFoundError('lesson_not_found', `No lesson ${lessonId} in course ${courseId}.`);
  return lesson;
}

/**
 * `/courses/:id/content`, chapters and lessons for the console: the same ownership rule as the
 * course (creators edit their own), per-field validation errors, every change audited in its
 * transaction.
 */
export function createAdminCourseContentRouter(deps: { uow: ConsoleUnitOfWork }): Router {
  const router = Router();

  router.get('/courses/:id/content', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const outline: CourseOutline = await deps.uow.run(async (r) => {
      await courseFor(r, principalOf(req), id);
      return r.content.outline(id);
    });
    res.json(outline);
  });

  router.post('/courses/:id/chapters', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const principal = principalOf(req);
    const body = createChapterBody.parse(req.body);
    const chapter = await deps.uow.run(async (r) => {
      await courseFor(r, principal, id);
      const created = await r.content.createChapter(id, body);
      await r.audit.record({ actor: principal.actor, action: 'chapter.create', subjectType: 'course', subjectId: id, details: { chapterId: created.id } });
      return created;
    });
    res.status(201).json(chapter);
  });

  router.patch('/courses/:id/chapters/:chapterId', async (req, res) => {
    const { id, chapterId } = chapterParams.parse(req.params);
    const principal = principalOf(req);
    const body = updateChapterBody.parse(req.body);
    const chapter = await deps.uow.run(async (r) => {
      await chapterFor(r, principal, id, chapterId);
      const updated = (await r.content.updateChapter(chapterId, body))!;
      await r.audit.record({ actor: principal.actor, action: 'chapter.update', subjectType: 'course', subjectId: id, details: { chapterId, fields: Object.keys(body) } });
      return updated;
    });
    res.json(chapter);
  });

  router.delete('/courses/:id/chapters/:chapterId', async (req, res) => {
    const { id, chapterId } = chapterParams.parse(req.params);
    const principal = principalOf(req);
    await deps.uow.run(async (r) => {
      await chapterFor(r, principal, id, chapterId);
      await r.content.deleteChapter(chapterId);
      await r.audit.record({ actor: principal.actor, action: 'chapter.delete', subjectType: 'course', subjectId: id, details: { chapterId } });
    });
    res.status(204).end();
  });

  router.post('/courses/:id/chapters/:chapterId/lessons', async (req, res) => {
    const { id, chapterId } = chapterParams.parse(req.params);
    const principal = principalOf(req);
    const body = createLessonBody.parse(req.body);
    const lesson = await deps.uow.run(async (r) => {
      await chapterFor(r, principal, id, chapterId);
      const created = await r.content.createLesson(chapterId, body);
      await r.audit.record({ actor: principal.actor, action: 'lesson.create', subjectType: 'course', subjectId: id, details: { lessonId: created.id } });
      return created;
    });
    res.status(201).json(lesson);
  });

  router.patch('/courses/:id/lessons/:lessonId', async (req, res) => {
    const { id, lessonId } = lessonParams.parse(req.params);
    const principal = principalOf(req);
    const body = updateLessonBody.parse(req.body);
    const lesson = await deps.uow.run(async (r) => {
      await lessonFor(r, principal, id, lessonId);
      // Lessons move only between chapters of their own course.
      if (body.chapterId !== undefined) await chapterFor(r, principal, id, body.chapterId);
      const updated = (await r.content.updateLesson(lessonId, body))!;
      await r.audit.record({ actor: principal.actor, action: 'lesson.update', subjectType: 'course', subjectId: id, details: { lessonId, fields: Object.keys(body) } });
      return updated;
    });
    res.json(lesson);
  });

  router.delete('/courses/:id/lessons/:lessonId', async (req, res) => {
    const { id, lessonId } = lessonParams.parse(req.params);
    const principal = principalOf(req);
    await deps.uow.run(async (r) => {
      await lessonFor(r, principal, id, lessonId);
      await r.content.deleteLesson(lessonId);
      await r.audit.record({ actor: principal.actor, action: 'lesson.delete', subjectType: 'course', subjectId: id, details: { lessonId } });
    });
    res.status(204).end();
  });

  return router;
}
