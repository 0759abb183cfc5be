import type { Locale } from '../followers/follower.js';

/** Every sentence the dialog says, in both languages. Functions take what varies. */
const zh = {
  welcome: (name: string | null) => `${name ? `${name}，` : ''}欢迎来到知了！我会根据你的兴趣推荐合适的课程。先选几个你感兴趣的方向吧（可多选）：`,
  welcomeBack: (name: string | null) => `${name ? `${name}，` : ''}欢迎回来！想看看什么？`,
  topicNoted: (topic: string) => `已记下：${topic} ✓ 还可以继续选，选好后点「选好了」。`,
  topicsDone: '选好了',
  consentQuestion: '最后一个问题：可以偶尔给你发送新课和优惠信息吗？随时回复「退订」即可停止。',
  consentYes: '可以',
  consentNo: '不用了',
  consentGiven: '好的，有适合你的新课和优惠时会告诉你。回复「退订」随时停止。',
  consentDeclined: '好的，不会给你发送营销消息。需要时随时问我。',
  help: '你可以这样和我聊：\n• /courses 浏览全部课程\n• /recommend 为你推荐 3 门课\n• 直接说想学什么，比如「有没有摄影课」\n• 「Python 课多少钱」查看价格和内容\n• /buy 购买，/my 我的课程\n• /language 切换语言，/stop 或「退订」停止推送',
  greeting: (name: string | null) => `你好${name ? `，${name}` : ''}！想学点什么？可以直接告诉我，或者看看为你挑的课。`,
  browseIntro: (page: number, pages: number, total: number) => `全部课程（第 ${page}/${pages} 页，共 ${total} 门）：`,
  noCourses: '目前还没有在售的课程，稍后再来看看吧。',
  recommendIntro: '为你挑了这几门：',
  noRecommendations: '暂时没有新的推荐给你——你可能已经拥有全部在售课程了！',
  searchIntro: (query: string) => `和「${query}」相关的课程：`,
  nothingFound: (query: string) => `没有找到和「${query}」相关的课程。试试别的关键词，或者看看下面的选项：`,
  fallback: '抱歉，我没太明白。你可以直接说想学什么（比如「数据分析」），或者点下面的按钮：',
  whichCourse: '你想了解哪门课？从下面选一门吧：',
  whichCourseToBuy: '你想买哪门课？从下面选一门吧：',
  courseNotFound: '这门课已经找不到了，看看其他课程吧。',
  notOnSale: (title: string) => `「${title}」目前不在售。`,
  alreadyOwned: (title: string) => `你已经拥有「${title}」了，可以直接开始学习。`,
  buyElsewhere: (title: string) => `「${title}」请在知了小程序中购买：`,
  cannotSellHere: (title: string) => `「${title}」暂时不能在这里购买。`,
  invoiceDescription: (title: string) => `购买后即可永久学习「${title}」。`,
  myCoursesIntro: '你已拥有的课程：',
  noOwnedCourses: '你还没有购买课程。看看为你推荐的吧：',
  unsubscribed: '已退订，不会再给你发送推广消息。回复「订阅」或 /resume 可随时恢复。',
  alreadyUnsubscribed: '你已经退订了。回复「订阅」或 /resume 可恢复。',
  resubscribed: '已恢复订阅，有适合你的新课和优惠时会告诉你。',
  chooseLanguage: '请选择语言 / Choose your language:',
  languageSet: '好的，之后我会用中文和你交流。',
  paymentReceived: (title: string) => `支付成功，谢谢！「${title}」已开通，现在就可以开始学习。`,
  paymentRefunded: (stars: number) => `这笔付款无法对应到订单，${stars} 颗星已原路退回。如仍想购买，请重新点击购买。`,
  checkoutRefused: {
    unknown: '找不到这笔订单，请重新点击购买。',
    notPending: '这笔订单已处理过了。',
    notOnSale: '这门课程目前不在售。',
    price: '价格已变动，请重新点击购买。',
    owned: '你已经拥有这门课程了。',
    payer: '这张账单不是发给你的。',
    tryAgain: '请稍后再试。',
  },
  buttons: {
    recommend: '为我推荐', browse: '浏览课程', help: '帮助', myCourses: '我的课程', buy: (price: string) => `购买 ${price}`,
    details: '详情', previous: '« 上一页', next: '下一页 »', resubscribe: '恢复订阅',
  },
  price: '价格',
  owned: '已拥有',
};

type DialogText = typeof zh;

const en: DialogText = {
  welcome: (name) => `Welcome to Zhiliao${name ? `, ${name}` : ''}! I recommend courses that fit your interests. Pick a few topics you like (as many as you want):`,
  welcomeBack: (name) => `Welcome back${name ? `, ${name}` : ''}! What would you like to see?`,
  topicNoted: (topic) => `Noted: ${topic} ✓ Pick more, then tap "Done".`,
  topicsDone: 'Done',
  consentQuestion: 'One last question: may I send you new courses and offers now and then? Reply "unsubscribe" any time to stop.',
  consentYes: 'Yes, please',
  consentNo: 'No, thanks',
  consentGiven: 'Great, I will tell you about new courses and offers that fit you. Reply "unsubscribe" any time to stop.',
  consentDeclined: 'OK, no marketing messages. Ask me whenever you need something.',
  help: 'Here is what you can ask me:\n• /courses browse all courses\n• /recommend 3 picks for you\n• just say what you want to learn, e.g. "any photography course?"\n• "how much is the Python course" for price and contents\n• /buy to purchase, /my for your courses\n• /language to switch language, /stop or "unsubscribe" to stop offers',
  greeting: (name) => `Hi${name ? ` ${name}` : ''}! What would you like to learn? Tell me, or look at the picks I chose for you.`,
  browseIntro: (page, pages, total) => `All courses (page ${page}/${pages}, ${total} in total):`,
  noCourses: 'No courses are on sale yet. Please check back later.',
  recommendIntro: 'Picked for you:',
  noRecommendations: 'No new picks for you right now; you may already own every course on sale!',
  searchIntro: (query) => `Courses about "${query}":`,
  nothingFound: (query) => `I found no course about "${query}". Try other words, or pick one of these:`,
  fallback: 'Sorry, I did not get that. Tell me what you want to learn (e.g. "data analysis"), or tap a button:',
  whichCourse: 'Which course would you like to know about? Pick one:',
  whichCourseToBuy: 'Which course would you like to buy? Pick one:',
  courseNotFound: 'That course is no longer available; have a look at the others.',
  notOnSale: (title) => `"${title}" is not on sale right now.`,
  alreadyOwned: (title) => `You already own "${title}"; you can start learning right away.`,
  buyElsewhere: (title) => `"${title}" is sold in the Zhiliao mini-program:`,
  cannotSellHere: (title) => `"${title}" cannot be bought here yet.`,
  invoiceDescription: (title) => `Lifetime access to "${title}".`,
  myCoursesIntro: 'Your courses:',
  noOwnedCourses: 'You have not bought a course yet. Here are picks for you:',
  unsubscribed: 'Unsubscribed: no more offers from me. Reply "subscribe" or /resume to turn them back on.',
  alreadyUnsubscribed: 'You are already unsubscribed. Reply "subscribe" or /resume to turn offers back on.',
  resubscribed: 'You are subscribed again; I will tell you about new courses and offers that fit you.',
  chooseLanguage: '请选择语言 / Choose your language:',
  languageSet: 'OK, I will talk to you in English from now on.',
  paymentReceived: (title) => `Payment received, thank you! "${title}" is yours now: you can start learning right away.`,
  paymentRefunded: (stars) => `We could not apply this payment to an order, so your ${stars} Stars have been refunded. Tap Buy again if you still want the course.`,
  checkoutRefused: {
    unknown: 'This order is unknown; please tap Buy again.',
    notPending: 'This order has already been handled.',
    notOnSale: 'This course is not on sale right now.',
    price: 'The price has changed; please tap Buy again.',
    owned: 'You already own this course.',
    payer: 'This invoice was issued to someone else.',
    tryAgain: 'Please try again in a moment.',
  },
  buttons: {
    recommend: 'Recommend for me', browse: 'Browse courses', help: 'Help', myCourses: 'My courses', buy: (price) => `Buy ${price}`,
    details: 'Details', previous: '« Previous', next: 'Next »', resubscribe: 'Resubscribe',
  },
  price: 'Price',
  owned: 'Owned',
};

/** The dialog's sentences in one language. */
export function dialogText(locale: Locale): DialogText {
  return locale === 'en' ? en : zh;
}

/** Onboarding topics offered to a new follower, with their labels. Tags come from TAG_LEXICON. */
export const ONBOARDING_TOPICS: ReadonlyArray<{ tag: string; zh: string; en: string }> = [
  { tag: 'python', zh: 'Python 编程', en: 'Python' },
  { tag: 'data-analysis', zh: '数据分析', en: 'Data analysis' },
  { tag: 'ai', zh: 'AI 工具', en: 'AI tools' },
  { tag: 'photography', zh: '摄影', en: 'Photography' },
  { tag: 'english', zh: '英语', en: 'English' },
  { tag: 'marketing', zh: '营销运营', en: 'Marketing' },
  { tag: 'personal-finance', zh: '理财', en: 'Personal finance' },
  { tag: 'fitness', zh: '健身', en: 'Fitness' },
];

/** A tag as people read it: the onboarding label when there is one, else the slug in words. */
export function topicLabel(tag: string, locale: Locale): string {
  const topic = ONBOARDING_TOPICS.find((t) => t.tag === tag);
  if (topic) return locale === 'en' ? topic.en : topic.zh;
  return tag.replace(/-/g, ' ');
}
