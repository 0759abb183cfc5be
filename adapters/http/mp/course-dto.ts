import type { Course } from '../../../core/index.js';
import type { z } from 'zod';
import type { courseDto } from './schemas.js';

/** A course as the mini-program shows it, in one language. */
export function toCourseDto(course: Course, locale: string): z.infer<typeof courseDto> {
  const isZh = locale.startsWith('zh');
  return {
    id: course.id,
    slug: course.slug,
    title: isZh ? course.titleZh : course.titleEn,
    description: isZh ? course.descriptionZh : course.descriptionEn,
    tags: course.tags,
    price: { amountMinor: course.priceMinor, currency: course.currency },
    coverUrl: course.coverUrl,
    teacher: course.teacherName,
  };
}
