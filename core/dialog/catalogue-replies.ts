import { courseTitle, type Course } from '../catalog/course.js';
import { tokenize } from '../text/tokenize.js';
import { topicsInTerms } from './classify-intent.js';
import { toCourseCard } from './course-cards.js';
import { menuButtons, recordDerivedEvent, textReply, type DialogTurn } from './dialog-turn.js';
import { ACTIONS } from './intent.js';
import { reasonText } from './render-reason.js';
import type { Button, Reply } from './reply.js';

const DEFAULT_PAGE_SIZE = 5;
const MAX_SEARCH_RESULTS = 5;
const MAX_CATALOGUE = 500;
export const RECOMMENDATION_COUNT = 3;

/** The catalogue page by page, with Previous/Next buttons. */
export async function browseReplies(turn: DialogTurn, requestedPage: number): Promise<Reply[]> {
  const pageSize = turn.deps.pageSize ?? DEFAULT_PAGE_SIZE;
  // Independent reads: issued together so a turn waits for one round trip, not two.
  const [first, owned] = await Promise.all([
    turn.deps.repos.courses.list({ page: requestedPage, pageSize, status: 'on_sale' }),
    turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id),
  ]);
  if (first.total === 0) return [textReply(turn.text.noCourses, menuButtons(turn))];
  const pages = Math.ceil(first.total / pageSize);
  const page = Math.min(requestedPage, pages);
  const result = page === requestedPage ? first : await turn.deps.repos.courses.list({ page, pageSize, status: 'on_sale' });
  const paging: Button[] = [];
  if (page > 1) paging.push({ label: turn.text.buttons.previous, action: ACTIONS.page(page - 1) });
  if (page < pages) paging.push({ label: turn.text.buttons.next, action: ACTIONS.page(page + 1) });
  return [
    {
      type: 'course_cards',
      intro: turn.text.browseIntro(page, pages, first.total),
      cards: result.items.map((course) => toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: owned.has(course.id) })),
      ...(paging.length ? { buttons: [paging] } : {}),
    },
  ];
}

/** Personal picks from the recommender, each with its reason in the follower's language. */
export async function recommendReplies(turn: DialogTurn, intro?: string): Promise<Reply[]> {
  const picks = await turn.deps.recommender.recommend(turn.follower.id, { limit: RECOMMENDATION_COUNT, locale: turn.locale, follower: turn.follower });
  const referenced = picks.flatMap((p) => [p.courseId, ...(p.reason.params['courseId'] ? [p.reason.params['courseId']] : [])]);
  const found = await Promise.all([...new Set(referenced)].map((id) => turn.deps.repos.courses.findById(id)));
  const courses = new Map(found.flatMap((course): Array<[string, Course]> => (course ? [[course.id, course]] : [])));
  const titleOf = (id: string) => {
    const course = courses.get(id);
    return course ? courseTitle(course, turn.locale) : undefined;
  };
  const cards = [];
  for (const pick of picks) {
    const course = courses.get(pick.courseId);
    if (!course || course.status !== 'on_sale') continue;
    cards.push(toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: false, reason: reasonText(pick.reason, turn.locale, titleOf) }));
  }
  if (cards.length === 0) return [textReply(turn.text.noRecommendations, menuButtons(turn))];
  return [{ type: 'course_cards', intro: intro ?? turn.text.recommendIntro, cards }];
}

/**
 * On-sale courses matching a free-text query, best first: topic tags count most, then words found
 * in the title, then in the description. The catalogue is small enough to score in memory.
 */
export async function findCourses(turn: DialogTurn, query: string, knownTags: readonly string[] = []): Promise<Course[]> {
  const terms = tokenize(query);
  const tags = new Set([...knownTags, ...topicsInTerms(terms)]);
  if (terms.length === 0 && tags.size === 0) return [];
  const { items } = await turn.deps.repos.courses.list({ page: 1, pageSize: MAX_CATALOGUE, status: 'on_sale' });
  const scored = items
    .map((course) => {
      const title = `${course.titleZh} ${course.titleEn} ${course.slug}`.toLowerCase();
      const description = `${course.descriptionZh} ${course.descriptionEn}`.toLowerCase();
      let score = course.tags.filter((tag) => tags.has(tag)).length * 3;
      for (const term of terms) {
        if (title.includes(term)) score += 2;
        else if (description.includes(term)) score += 1;
      }
      return { course, score };
    })
    .filter((s) => s.score > 0);
  scored.sort((a, b) => b.score - a.score || a.course.slug.localeCompare(b.course.slug));
  return scored.slice(0, MAX_SEARCH_RESULTS).map((s) => s.course);
}

/** Courses about a keyword or topic, or a helpful fallback when there are none. */
export async function searchReplies(turn: DialogTurn, query: string, tags: readonly string[]): Promise<Reply[]> {
  const found = await findCourses(turn, query, tags);
  if (found.length === 0) return [textReply(turn.text.nothingFound(query), menuButtons(turn))];
  const owned = await turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id);
  return [
    {
      type: 'course_cards',
      intro: turn.text.searchIntro(query),
      cards: found.map((course) => toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: owned.has(course.id) })),
    },
  ];
}

/** Finds the one course a message is about, by id or by query; undefined when it is ambiguous or unknown. */
export async function resolveCourse(turn: DialogTurn, courseId: string | undefined, query: string | undefined): Promise<Course | null | undefined> {
  if (courseId) return turn.deps.repos.courses.findById(courseId);
  if (!query) return undefined;
  const [best] = await findCourses(turn, query);
  return best;
}

/** A list of courses to pick from when the follower did not say which one they mean. */
export async function pickACourseReplies(turn: DialogTurn, intro: string, query: string | undefined): Promise<Reply[]> {
  const candidates = query ? await findCourses(turn, query) : [];
  const courses = candidates.length ? candidates : (await turn.deps.repos.courses.list({ page: 1, pageSize: MAX_SEARCH_RESULTS, status: 'on_sale' })).items;
  if (courses.length === 0) return [textReply(turn.text.noCourses, menuButtons(turn))];
  const owned = await turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id);
  return [{ type: 'course_cards', intro, cards: courses.map((c) => toCourseCard(c, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: owned.has(c.id) })) }];
}

/** Price and contents of one course, recorded as a view. */
export async function courseInfoReplies(turn: DialogTurn, courseId: string | undefined, query: string | undefined): Promise<Reply[]> {
  const course = await resolveCourse(turn, courseId, query);
  if (course === undefined) return pickACourseReplies(turn, turn.text.whichCourse, query);
  if (course === null) return [textReply(turn.text.courseNotFound, menuButtons(turn))];
  const [, owned] = await Promise.all([
    recordDerivedEvent(turn, `view:${course.id}`, { kind: 'view', courseId: course.id }),
    turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id),
  ]);
  const isOwned = owned.has(course.id);
  const card = toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned, isFullDescription: true });
  const url = turn.deps.courseUrl?.(course);
  return [{ type: 'course_cards', cards: [url ? { ...card, url } : card] }];
}

/** The courses the follower owns, or picks when they own none. */
export async function myCoursesReplies(turn: DialogTurn): Promise<Reply[]> {
  const owned = await turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id);
  if (owned.size === 0) return recommendReplies(turn, turn.text.noOwnedCourses);
  const courses = (await Promise.all([...owned].map((id) => turn.deps.repos.courses.findById(id)))).filter((c): c is Course => c !== null);
  courses.sort((a, b) => a.slug.localeCompare(b.slug));
  return [
    {
      type: 'course_cards',
      intro: turn.text.myCoursesIntro,
      cards: courses.map((course) => {
        const card = toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: true });
        const url = turn.deps.courseUrl?.(course);
        return url ? { ...card, url } : card;
      }),
    },
  ];
}
