import { segmentWords } from '../text/tokenize.js';

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z][a-z0-9']*/g;
const LETTER_OR_HAN = /[\p{L}\p{N}]/u;
const QUESTION = /[?？]|[吗呢么嘛]\s*[?？]?\s*$/u;

/*
 * Cue words per intent (or per confusable pair), one feature each: the model learns how much each
 * cue counts, so a cue is a hint shared by many phrasings rather than a rule. Read on normalized text.
 */
const CUES: ReadonlyArray<readonly [string, RegExp]> = [
  ['refund', /退款|退钱|退费|退掉|退回|退了|refund|money back|reimburse|chargeback/],
  ['complaint', /投诉|差评|垃圾|骗子|骗钱|坑人|太差|烂|失望|打不开|没人理|没人回|卡住|complain|scam|terrible|awful|worst|rubbish|garbage|useless|disappointed|broken|doesn'?t work|not working|ripoff|rip-off/],
  ['price', /多少钱|价格|价钱|费用|收费|几块|几钱|怎么卖|price|cost|how much|\bfee|pricing|\$|¥|元/],
  ['objection', /太贵|贵了|便宜|打折|优惠|折扣|降价|expensive|cheaper|discount|coupon|too much|pricey|afford/],
  ['details', /多久|多长|几节|几课|课时|内容|大纲|目录|讲什么|学什么|适合|零基础|证书|老师是|讲师|how long|how many (lessons|hours|videos|modules)|syllabus|curriculum|outline|what('s| is) (in|covered)|cover|certificate|beginner|prerequisite|instructor|who teaches/],
  ['search', /有没有|有没|有.{0,6}课|找|搜|search|find|look(ing)? for|do you have|any .{0,20}course|courses? (on|about|for)/],
  ['study', /怎么(学|看|上课|听|开始|观看|下载)|在哪(看|学|上课)|回放|进度|作业|打卡|how (do|can|should) i (study|watch|start|access|download)|where (do|can) i (watch|find my)|replay|progress|homework|schedule/],
  ['human', /人工|真人|客服|转人工|real person|human|agent|operator|representative|support staff/],
  ['greet', /^(你好|您好|嗨|哈喽|hello|hi|hey|早|早上好|晚上好|下午好|good (morning|evening|afternoon))/],
  ['thanks', /谢谢|感谢|多谢|谢啦|thank|thx|ty\b|appreciate|cheers/],
  ['bot', /你是|你叫|你几岁|你会|你喜欢|你在|你住|are you|do you (like|have|sleep|eat|feel)|your name|who are you|joke|哈哈|lol|haha|无聊|bored/],
  ['help', /帮助|功能|菜单|指令|命令|说明|怎么用|怎么操作|help|menu|command|options|what can you|how (does|do) (this|it) work|guide/],
  ['offtopic', /天气|机票|航班|外卖|快递|股票|股市|彩票|作业|翻译|电影|医院|酒店|weather|flight|pizza|package|stock|bitcoin|lottery|translate|movie|hotel|capital of|recipe|alarm/],
  ['buy', /买|购买|下单|付款|支付|报名|付钱|pay|buy|purchase|checkout|order|sign (me )?up|enroll|enrol/],
  ['mine', /我的课|我买的|已购|已经买|我报的|my courses|i (bought|purchased|paid)|my purchases|my orders/],
  ['lang', /中文|英文|英语|english|chinese|language|语言/],
];

function lengthBucket(words: number): string {
  if (words <= 1) return '1';
  if (words === 2) return '2';
  if (words <= 4) return '3-4';
  if (words <= 8) return '5-8';
  return '9+';
}

/** Character n-grams of one string, every length from `min` to `max`. */
function charGrams(text: string, min: number, max: number, prefix: string, into: Set<string>): void {
  const chars = [...text];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= chars.length; i++) into.add(prefix + chars.slice(i, i + n).join(''));
  }
}

/**
 * The sparse binary features of normalized text (see `normalizeText`): jieba words and word
 * bigrams (with sentence start `^` and end `$`), character 1–3-grams of Han runs, character 2–5-grams
 * of each Latin word padded with `<` and `>` (so "pyton" still shares most grams with "python"), the
 * first and last one or two letters, one feature per matching intent cue list (`CUES`), and a few
 * shape features (length, question, digits, script mix, slash command, no letters at all).
 *
 * @example
 * extractFeatures('有没有python课').includes('w:python') // true
 */
export function extractFeatures(normalized: string): string[] {
  const features = new Set<string>();
  const words = segmentWords(normalized)
    .map((w) => w.trim())
    .filter((w) => w.length > 0 && LETTER_OR_HAN.test(w));
  let previous = '^';
  for (const word of words) {
    features.add(`w:${word}`);
    features.add(`b:${previous}|${word}`);
    previous = word;
  }
  features.add(`b:${previous}|$`);
  for (const run of normalized.match(HAN_RUN) ?? []) charGrams(run, 1, 3, 'c:', features);
  for (const word of normalized.match(LATIN_WORD) ?? []) charGrams(`<${word}>`, 2, 5, 'l:', features);
  // First and last one or two letters of the message, punctuation aside: "吗" at the end, "帮" at the start.
  const compact = [...normalized.replace(/[^\p{L}\p{N}]/gu, '')];
  if (compact.length > 0) {
    features.add(`p:${compact[0]}`);
    features.add(`p:${compact.slice(0, 2).join('')}`);
    features.add(`e:${compact[compact.length - 1]}`);
    features.add(`e:${compact.slice(-2).join('')}`);
  }
  for (const [name, pattern] of CUES) if (pattern.test(normalized)) features.add(`x:${name}`);
  const hasHan = HAN.test(normalized);
  const hasLatin = /[a-z]/.test(normalized);
  features.add(`s:len:${lengthBucket(words.length)}`);
  features.add(`s:script:${hasHan ? (hasLatin ? 'mixed' : 'han') : hasLatin ? 'latin' : 'none'}`);
  if (QUESTION.test(normalized)) features.add('s:question');
  if (/\d/.test(normalized)) features.add('s:digit');
  if (normalized.startsWith('/')) features.add('s:slash');
  if (words.length === 0) features.add('s:no-words');
  return [...features];
}
