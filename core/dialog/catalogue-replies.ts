import { courseTitle, formatMoney, type Course } from '../catalog/course.js';
import { tagName } from '../text/tag-names.js';
import { tokenize } from '../text/tokenize.js';
import { extractTopics, matchCourseReference, normalizeText, type Budget, type CourseTitles } from '../understanding/index.js';
import { displayPrice, toCourseCard } from './course-cards.js';
import { budgetLimit, isWithin } from './course-prices.js';
import { lessonsInOrder } from '../learning/course-content.js';
import { courseFactsWithLessons, groundedAnswer } from './grounded-answer.js';
import { menuButtons, recordDerivedEvent, textReply, type DialogTurn } from './dialog-turn.js';
import { ACTIONS, type CourseChoice } from './intent.js';
import { coursesNamedBy, reasonText } from './render-reason.js';
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

/** The on-sale catalogue (read through the chat path's short-lived cache). */
export async function onSaleCourses(turn: DialogTurn): Promise<Course[]> {
  return (await turn.deps.repos.courses.list({ page: 1, pageSize: MAX_CATALOGUE, status: 'on_sale' })).items;
}

const titlesOfPage = new WeakMap<readonly Course[], CourseTitles[]>();

/** The titles the understanding model matches course names against, built once per catalogue read. */
export function courseTitlesOf(courses: readonly Course[]): CourseTitles[] {
  let titles = titlesOfPage.get(courses);
  if (!titles) {
    titles = courses.map((c) => ({ id: c.id, titles: [c.titleZh, c.titleEn] }));
    titlesOfPage.set(courses, titles);
  }
  return titles;
}

/** Personal picks from the recommender, each with its reason in the follower's language; within the budget when one was said. */
export async function recommendReplies(turn: DialogTurn, options: { intro?: string; tags?: readonly string[]; budget?: Budget } = {}): Promise<Reply[]> {
  const intro = options.intro ?? turn.text.recommendIntro;
  // Picks about a named topic ("推荐几门摄影课") come from the catalogue, best match first.
  if (options.tags?.length) {
    const found = await findCourses(turn, '', options.tags, options.budget);
    if (found.length) return [await courseListReply(turn, intro, found.slice(0, RECOMMENDATION_COUNT))];
  }
  const limit = options.budget ? budgetLimit(options.budget, turn.isStarsPlatform) : undefined;
  // Within the budget, the recommender filters itself: the picks it returns are the ones shown (and logged as shown).
  const picks = await turn.deps.recommender.recommend(turn.follower.id, {
    limit: RECOMMENDATION_COUNT, follower: turn.follower, shownOn: turn.message.platform, ...(limit ? { fits: (course: Course) => isWithin(course, limit) } : {}),
  });
  const courses = await coursesNamedBy(picks, turn.deps.repos.courses);
  const titleOf = (id: string) => {
    const course = courses.get(id);
    return course ? courseTitle(course, turn.locale) : undefined;
  };
  const cards = [];
  for (const pick of picks) {
    const course = courses.get(pick.courseId);
    if (!course || course.status !== 'on_sale' || (limit && !isWithin(course, limit))) continue;
    cards.push(toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: false, reason: reasonText(pick.reason, turn.locale, titleOf) }));
  }
  if (cards.length === 0 && limit) {
    const affordable = await findCourses(turn, '', [], options.budget);
    if (affordable.length) return [await courseListReply(turn, turn.text.withinBudget(formatMoney(limit)), affordable.slice(0, RECOMMENDATION_COUNT))];
    return [textReply(turn.text.nothingWithinBudget(formatMoney(limit)), menuButtons(turn))];
  }
  if (cards.length === 0) return [textReply(turn.text.noRecommendations, menuButtons(turn))];
  return [{ type: 'course_cards', intro, cards }];
}

/**
 * On-sale courses matching a free-text query, best first: topic tags count most, then words found
 * in the title, then in the description; only those within the budget when one is given (then the
 * cheapest first among equals, and with neither query nor topics, all courses within it). The
 * catalogue is small enough to score in memory.
 */
export async function findCourses(turn: DialogTurn, query: string, knownTags: readonly string[] = [], budget?: Budget): Promise<Course[]> {
  const terms = tokenize(query);
  const tags = new Set([...knownTags, ...(query ? extractTopics(normalizeText(query)) : [])]);
  const limit = budget ? budgetLimit(budget, turn.isStarsPlatform) : undefined;
  if (terms.length === 0 && tags.size === 0 && !limit) return [];
  const items = await onSaleCourses(turn);
  const scored = items
    .filter((course) => !limit || isWithin(course, limit))
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
    .filter((s) => s.score > 0 || (limit && tags.size === 0));
  const price = (c: Course) => displayPrice(c, turn.isStarsPlatform).amountMinor;
  scored.sort((a, b) => b.score - a.score || (limit ? price(a.course) - price(b.course) : 0) || a.course.slug.localeCompare(b.course.slug));
  return scored.slice(0, MAX_SEARCH_RESULTS).map((s) => s.course);
}

/** Course cards for a list, marking the ones the follower owns. */
export async function courseListReply(turn: DialogTurn, intro: string, courses: readonly Course[]): Promise<Reply> {
  const owned = await turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id);
  return { type: 'course_cards', intro, cards: courses.map((c) => toCourseCard(c, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: owned.has(c.id) })) };
}

/** Courses about a keyword or topic (within a budget when one was said), or a helpful fallback when there are none. */
export async function searchReplies(turn: DialogTurn, query: string, tags: readonly string[], budget?: Budget): Promise<Reply[]> {
  const found = await findCourses(turn, query, tags, budget);
  if (found.length === 0) return [textReply(turn.text.nothingFound(query), menuButtons(turn))];
  return [await courseListReply(turn, turn.text.searchIntro(query), found)];
}

/**
 * The one course a choice names: by id when the follower tapped, picked from a list or pointed at
 * it; by title for an unresolved choice with a query (`/buy python`). Undefined when it is
 * ambiguous or unknown (ask which), null when the course is gone.
 */
export async function resolveCourse(turn: DialogTurn, choice: CourseChoice): Promise<Course | null | undefined> {
  if (choice.kind !== 'unresolved') return turn.deps.repos.courses.findById(choice.courseId);
  if (!choice.query) return undefined;
  const courses = await onSaleCourses(turn);
  const match = matchCourseReference(choice.query, courseTitlesOf(courses));
  return match ? courses.find((c) => c.id === match.courseId) : undefined;
}

/**
 * A list of courses to pick from when the follower did not say clearly which one they mean: the
 * course they half-named first, then courses on the topics they named, else the catalogue's first page.
 */
export async function pickACourseReplies(turn: DialogTurn, intro: string, choice: CourseChoice): Promise<Reply[]> {
  const named = choice.kind === 'unresolved' ? null : await turn.deps.repos.courses.findById(choice.courseId);
  const tags = choice.kind === 'unresolved' ? choice.tags : (named?.tags ?? []);
  const onTopic = tags.length ? await findCourses(turn, '', tags) : [];
  const candidates = [...(named?.status === 'on_sale' ? [named] : []), ...onTopic.filter((c) => c.id !== named?.id)].slice(0, MAX_SEARCH_RESULTS);
  const courses = candidates.length ? candidates : (await turn.deps.repos.courses.list({ page: 1, pageSize: MAX_SEARCH_RESULTS, status: 'on_sale' })).items;
  if (courses.length === 0) return [textReply(turn.text.noCourses, menuButtons(turn))];
  return [await courseListReply(turn, intro, courses)];
}

/** Price and topics of a course in the follower's language, from the course's own data. */
export function courseFacts(turn: DialogTurn, course: Course): string {
  const topics = course.tags.map((tag) => tagName(tag, turn.locale)).join(turn.locale === 'en' ? ', ' : '、');
  return turn.text.courseFacts(formatMoney(displayPrice(course, turn.isStarsPlatform)), topics);
}

/** Price, topics and contents of one course, recorded as a view; the course is then in focus. */
export async function courseInfoReplies(turn: DialogTurn, choice: CourseChoice, aspect: 'price' | 'details'): Promise<Reply[]> {
  const course = await resolveCourse(turn, choice);
  if (course === undefined) return pickACourseReplies(turn, turn.text.whichCourse, choice);
  if (course === null) return [textReply(turn.text.courseNotFound, menuButtons(turn))];
  const [, owned, outline] = await Promise.all([
    recordDerivedEvent(turn, `view:${course.id}`, { kind: 'view', courseId: course.id }),
    turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id),
    aspect === 'details' ? turn.deps.courseOutlines?.outline(course.id) : undefined,
  ]);
  const isOwned = owned.has(course.id);
  const card = toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned, isFullDescription: true });
  const url = turn.deps.courseUrl?.(course);
  const priceLine = aspect === 'price' ? `${turn.text.priceOf(courseTitle(course, turn.locale), formatMoney(displayPrice(course, turn.isStarsPlatform)))}\n` : '';
  // A free question about the course ("does it cover pandas?") is answered from its lessons when a language model is on.
  const answer = aspect === 'details' && turn.deps.languageModel && turn.message.text !== undefined
    ? await groundedAnswer(turn, courseFactsWithLessons(course, outline, turn.locale, turn.isStarsPlatform))
    : undefined;
  const lessons = outline ? lessonsInOrder(outline) : [];
  const minutes = lessons.reduce((sum, lesson) => sum + (lesson.estimatedMinutes ?? 0), 0);
  const contents = aspect === 'details' && (lessons.length > 0 || course.teacherName) ? `\n${turn.text.courseContents(lessons.length, minutes, course.teacherName)}` : '';
  turn.change.focusCourseId = course.id;
  return [{ type: 'course_cards', intro: `${answer ? `${answer}\n\n` : ''}${priceLine}${courseFacts(turn, course)}${contents}`, cards: [url ? { ...card, url } : card] }];
}

/** The courses the follower owns, sorted, with their pages. */
export async function ownedCourses(turn: DialogTurn): Promise<Course[]> {
  const owned = await turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id);
  const courses = (await Promise.all([...owned].map((id) => turn.deps.repos.courses.findById(id)))).filter((c): c is Course => c !== null);
  return courses.sort((a, b) => a.slug.localeCompare(b.slug));
}

/** Owned courses as cards (no Buy button), with their pages. */
export function ownedCoursesReply(turn: DialogTurn, intro: string, courses: readonly Course[]): Reply {
  return {
    type: 'course_cards',
    intro,
    cards: courses.map((course) => {
      const card = toCourseCard(course, { locale: turn.locale, isStarsPlatform: turn.isStarsPlatform, isOwned: true });
      const url = turn.deps.courseUrl?.(course);
      return url ? { ...card, url } : card;
    }),
  };
}

/** The courses the follower owns, or picks when they own none. */
export async function myCoursesReplies(turn: DialogTurn): Promise<Reply[]> {
  const courses = await ownedCourses(turn);
  if (courses.length === 0) return recommendReplies(turn, { intro: turn.text.noOwnedCourses });
  return [ownedCoursesReply(turn, turn.text.myCoursesIntro, courses)];
}
