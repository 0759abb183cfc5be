import { courseTitle, learningText, type OpenLesson } from '../../../core/index.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(lang: string, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style>body{font:17px/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}a.button{display:inline-block;padding:.6rem 1rem;background:#2b6cb0;color:#fff;border-radius:6px;text-decoration:none}video{width:100%}.muted{color:#777}.error{color:#b00020}</style>
</head><body>${body}</body></html>`;
}

/** The lesson as a small page in the learner's language: text, the video or link, the attachment. */
export function lessonPage(opened: OpenLesson, locale: string): string {
  const { lesson, course } = opened;
  const text = learningText(locale);
  const isZh = locale.startsWith('zh');
  const body = (isZh ? lesson.bodyZh : lesson.bodyEn) || lesson.bodyZh || lesson.bodyEn;
  const paragraphs = body.split(/\n{2,}/).filter(Boolean).map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`).join('');
  const media = !lesson.media
    ? ''
    : lesson.media.kind === 'video'
      ? `<p><video controls preload="metadata" src="${escapeHtml(lesson.media.url)}"></video></p><p><a href="${escapeHtml(lesson.media.url)}" rel="noopener">${escapeHtml(text.openLesson)}</a></p>`
      : `<p><a class="button" href="${escapeHtml(lesson.media.url)}" rel="noopener">${escapeHtml(text.openLesson)}</a></p>`;
  const attachment = lesson.attachmentRef ? `<p>${escapeHtml(text.attachment)}: <a href="${escapeHtml(lesson.attachmentRef)}" rel="noopener">${escapeHtml(lesson.attachmentRef.split('/').pop() ?? lesson.attachmentRef)}</a></p>` : '';
  const minutes = lesson.estimatedMinutes ? ` · ${escapeHtml(text.minutes(lesson.estimatedMinutes))}` : '';
  const title = courseTitle(lesson, locale);
  return page(isZh ? 'zh-CN' : 'en', title, `<p class="muted">${escapeHtml(courseTitle(course, locale))}${minutes}</p><h1>${escapeHtml(title)}</h1>${paragraphs}${media}${attachment}`);
}

/** A refusal as a small page in the reader's language. */
export function refusalPage(message: string, locale: string): string {
  return page(locale.startsWith('zh') ? 'zh-CN' : 'en', message, `<p>${escapeHtml(message)}</p>`);
}

/**
 * The learner-code form shown to a viewer we cannot identify: it posts back to the link, in the
 * reader's language, with what went wrong last time (a wrong code) when there is something.
 */
export function identifyPage(locale: string, action: string, problem?: string): string {
  const text = learningText(locale);
  const error = problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : '';
  return page(locale.startsWith('zh') ? 'zh-CN' : 'en', text.codeLabel, `<p>${escapeHtml(text.identifyPrompt)}</p>${error}
<form method="post" action="${escapeHtml(action)}"><label>${escapeHtml(text.codeLabel)} <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required></label> <button type="submit">${escapeHtml(text.confirm)}</button></form>`);
}
