import { z } from 'zod';

export const LESSON_MEDIA_KINDS = ['link', 'video'] as const;
export type LessonMediaKind = (typeof LESSON_MEDIA_KINDS)[number];

/** A part of a course; its lessons are ordered by `position`. */
export interface Chapter {
  id: string;
  courseId: string;
  titleZh: string;
  titleEn: string;
  position: number;
}

/** One lesson: text, an optional link or video, an optional attachment, in course order. */
export interface Lesson {
  id: string;
  chapterId: string;
  courseId: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  media: { kind: LessonMediaKind; url: string } | null;
  /** Where the attachment is kept (a file id, object-store key or URL); shown as a download. */
  attachmentRef: string | null;
  estimatedMinutes: number | null;
  /** Open to everyone who can see the course, bought or not, whatever the pacing. */
  isFreePreview: boolean;
  position: number;
}

/** A course's chapters, each with its lessons, both in order. */
export interface CourseOutline {
  courseId: string;
  chapters: Array<Chapter & { lessons: Lesson[] }>;
}

/** The lessons of an outline in reading order (chapter by chapter). */
export function lessonsInOrder(outline: CourseOutline): Lesson[] {
  return outline.chapters.flatMap((c) => c.lessons);
}

const title = z.string().trim().min(1, 'enter a title').max(200);

export const chapterInputSchema = z.object({
  titleZh: title,
  titleEn: title,
  /** Absent: after the last chapter. */
  position: z.number().int().min(0).max(10_000).optional(),
});
export type ChapterInput = z.output<typeof chapterInputSchema>;
export const chapterPatchSchema = chapterInputSchema.partial().refine((v) => Object.keys(v).length > 0, { message: 'send at least one field to change' });
export type ChapterPatch = z.output<typeof chapterPatchSchema>;

export const lessonInputSchema = z.object({
  titleZh: title,
  titleEn: title,
  bodyZh: z.string().max(20_000).default(''),
  bodyEn: z.string().max(20_000).default(''),
  media: z
    .object({ kind: z.enum(LESSON_MEDIA_KINDS), url: z.url({ protocol: /^https?$/, message: 'use an http(s) link' }).max(2000) })
    .nullable()
    .default(null),
  attachmentRef: z.string().trim().min(1).max(500).nullable().default(null),
  estimatedMinutes: z.number().int().min(1, 'at least 1 minute').max(1440, 'at most 24 hours').nullable().default(null),
  isFreePreview: z.boolean().default(false),
  /** Absent: after the chapter's last lesson. */
  position: z.number().int().min(0).max(10_000).optional(),
});
export type LessonInput = z.output<typeof lessonInputSchema>;

export const lessonPatchSchema = z
  .object({ ...lessonInputSchema.shape, chapterId: z.uuid() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one field to change' });
export type LessonPatch = z.input<typeof lessonPatchSchema>;
