import type { Locale } from '../followers/follower.js';

/** Everything learners read about their learning, in both languages; no field names or slugs. */
const zh = {
  startIntro: (title: string, percent: number) => `《${title}》学习进度 ${percent}%`,
  lessonLine: (n: number, title: string, state: 'done' | 'open' | 'locked', unlocksOn: string) =>
    `${state === 'done' ? '✅' : state === 'open' ? '▶️' : '🔒'} 第${n}课 ${title}${state === 'locked' ? `（${unlocksOn} 解锁）` : ''}`,
  nextLesson: (title: string) => `继续学习：${title}`,
  nothingOpen: (on: string) => `下一课将在 ${on} 解锁，到时提醒你。`,
  cohortStarts: (on: string) => `本期课程于 ${on} 开课，届时全部课程同时解锁。`,
  allDone: '恭喜完成全部课程！',
  noLessons: '课程内容正在准备中，上线后第一时间通知你。',
  openLesson: '打开本课',
  markDone: '学完了',
  checkIn: '打卡',
  joinGroup: '加入学员群',
  joinGroupIntro: '这是你的学员群专属邀请链接，仅限你本人使用一次。',
  notEnrolled: '你还没有购买这门课程，购买后即可开始学习。',
  streak: (days: number) => (days > 1 ? `已连续学习 ${days} 天 🔥` : ''),
  certificateTitle: '结业证书',
  certificate: (name: string, title: string, lessons: number, date: string, teacher: string) =>
    `兹证明 ${name} 已于 ${date} 完成《${title}》全部 ${lessons} 节课程。${teacher ? `\n授课讲师：${teacher}` : ''}`,
  learner: '学员',
  checkedIn: (days: number) => `打卡成功！已连续学习 ${days} 天。`,
  alreadyCheckedIn: (days: number) => `今天已经打过卡啦，已连续学习 ${days} 天。`,
  lessonLocked: '这一课还没有解锁。',
  linkExpired: '这个学习链接已过期，请在聊天中重新获取。',
  linkForwarded: '这个学习链接属于另一位学员，请使用你自己的链接。',
  linkInvalid: '这个链接无效。',
  learnerCode: (code: string) => `你的学习验证码：${code}（10 分钟内有效）。只在你自己打开的课程页面上输入，不要告诉别人。`,
  identifyPrompt: '为了确认是你本人，请在与知了助手的聊天中发送“验证码”，然后在下面输入收到的 6 位数字。',
  codeLabel: '验证码',
  confirm: '确认',
  codeWrong: '验证码不对：请输入你自己的聊天里收到的验证码。这个链接只属于收到它的学员。',
  tooManyTries: '尝试次数太多，请 10 分钟后再试。',
  noAccess: '你目前没有这门课程的学习权限。',
  attachment: '附件',
  minutes: (n: number) => `约 ${n} 分钟`,
  reminderUnlocked: (course: string, n: number, lesson: string) => `📖 《${course}》第${n}课「${lesson}」已经解锁，花几分钟学一学吧！`,
  reminderCohort: (course: string) => `🎉 《${course}》今天开课！第一课已经为你准备好了。`,
  reminderStalled: (course: string, days: number, n: number, lesson: string) => `好久不见！《${course}》已经 ${days} 天没有学习了，接着学第${n}课「${lesson}」吧。`,
  stopReminders: '不要提醒',
  remindersOff: '好的，以后不再发送学习提醒。想恢复时发送“开启提醒”。',
  remindersOn: '学习提醒已开启，新课解锁时会提醒你。',
};

type LearningText = typeof zh;

const en: LearningText = {
  startIntro: (title, percent) => `"${title}": ${percent}% done`,
  lessonLine: (n, title, state, unlocksOn) => `${state === 'done' ? '✅' : state === 'open' ? '▶️' : '🔒'} Lesson ${n}: ${title}${state === 'locked' ? ` (opens ${unlocksOn})` : ''}`,
  nextLesson: (title) => `Continue: ${title}`,
  nothingOpen: (on) => `Your next lesson opens on ${on}; we will remind you.`,
  cohortStarts: (on) => `This cohort starts on ${on}; every lesson opens then.`,
  allDone: 'Congratulations, you finished every lesson!',
  noLessons: 'The lessons are being prepared; you will hear from us as soon as they are ready.',
  openLesson: 'Open lesson',
  markDone: 'Done',
  checkIn: 'Check in',
  joinGroup: 'Join the learners’ group',
  joinGroupIntro: 'Your invite to the learners’ group: it works once, for you only.',
  notEnrolled: 'You have not bought this course yet; buy it to start learning.',
  streak: (days) => (days > 1 ? `${days}-day learning streak 🔥` : ''),
  certificateTitle: 'Certificate of Completion',
  certificate: (name, title, lessons, date, teacher) =>
    `This certifies that ${name} completed all ${lessons} lessons of "${title}" on ${date}.${teacher ? `\nTeacher: ${teacher}` : ''}`,
  learner: 'Learner',
  checkedIn: (days) => `Checked in! ${days}-day streak.`,
  alreadyCheckedIn: (days) => `You already checked in today. ${days}-day streak.`,
  lessonLocked: 'This lesson has not opened yet.',
  linkExpired: 'This learning link has expired; ask for a new one in the chat.',
  linkForwarded: 'This learning link belongs to another learner; please use your own.',
  linkInvalid: 'This link is not valid.',
  learnerCode: (code) => `Your learning code: ${code} (valid for 10 minutes). Enter it only on a lesson page you opened yourself; do not share it.`,
  identifyPrompt: 'To confirm it is you, send "code" to the Zhiliao bot in your chat, then enter the 6 digits it replies with below.',
  codeLabel: 'Code',
  confirm: 'Confirm',
  codeWrong: 'That code is not right: enter the code from your own chat. This link belongs only to the learner it was sent to.',
  tooManyTries: 'Too many tries; please try again in 10 minutes.',
  noAccess: 'You do not have access to this course right now.',
  attachment: 'Attachment',
  minutes: (n) => `about ${n} min`,
  reminderUnlocked: (course, n, lesson) => `📖 Lesson ${n} of "${course}", "${lesson}", is open now. A few minutes is all it takes!`,
  reminderCohort: (course) => `🎉 "${course}" starts today! Your first lesson is ready.`,
  reminderStalled: (course, days, n, lesson) => `We miss you! No learning in "${course}" for ${days} days; pick up lesson ${n}, "${lesson}".`,
  stopReminders: 'Stop reminders',
  remindersOff: 'Done: no more learning reminders. Send "resume reminders" to turn them back on.',
  remindersOn: 'Learning reminders are on; we will tell you when a lesson opens.',
};

/**
 * The learning texts in a follower's language.
 *
 * @example
 * learningText('en').nextLesson('Variables'); // 'Continue: Variables'
 */
export function learningText(locale: Locale | string): LearningText {
  return locale.startsWith('zh') ? zh : en;
}

/** A date as learners read it, in their zone: `2026年3月5日` or `5 Mar 2026`. */
export function formatLearningDate(at: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale.startsWith('zh') ? 'zh-CN' : 'en-GB', { timeZone, year: 'numeric', month: locale.startsWith('zh') ? 'long' : 'short', day: 'numeric' }).format(at);
}
