import type { CourseInput } from '../../core/index.js';

type Demo = [slug: string, titleZh: string, titleEn: string, descriptionZh: string, descriptionEn: string, tags: string[], priceYuan: number, stars: number];

/** The demo catalogue: realistic courses a knowledge creator might sell, in Chinese and English. */
const DEMO: Demo[] = [
  ['python-zero-to-hero', 'Python 零基础入门到实战', 'Python from Zero to Hero', '30 节视频课，从变量讲到爬虫和自动化办公，每节配练习。', '30 video lessons from variables to web scraping and office automation, with exercises.', ['python', 'career'], 199, 250],
  ['data-analysis-pandas', '用 Pandas 做数据分析', 'Data Analysis with Pandas', '清洗、透视、可视化，真实电商数据集贯穿全程。', 'Cleaning, pivoting and plotting, built around a real e-commerce dataset.', ['data-analysis', 'python'], 299, 380],
  ['sql-for-analysts', '数据分析师的 SQL 必修课', 'SQL for Analysts', '窗口函数、漏斗与留存分析，面试高频题精讲。', 'Window functions, funnels and retention, plus the interview questions that come up most.', ['data-analysis', 'career'], 159, 200],
  ['ml-foundations', '机器学习基础：从原理到项目', 'Machine Learning Foundations', '线性模型、树模型与神经网络，用 TensorFlow.js 动手实现。', 'Linear models, trees and neural networks, implemented by hand with TensorFlow.js.', ['machine-learning', 'python', 'ai'], 499, 620],
  ['chatgpt-at-work', 'AI 提示词工程：让大模型为你工作', 'Prompt Engineering: Put AI to Work', '写好提示词、搭建个人知识库、自动化日常工作流。', 'Write good prompts, build a personal knowledge base and automate daily workflows.', ['ai', 'productivity'], 99, 130],
  ['excel-office-pro', 'Excel 高效办公 36 招', 'Excel for Busy Professionals', '函数、数据透视表、图表与 Power Query，下班早一小时。', 'Formulas, pivot tables, charts and Power Query: leave work an hour earlier.', ['excel', 'productivity', 'career'], 69, 90],
  ['phone-photography', '手机摄影：随手拍出大片', 'Smartphone Photography Masterclass', '构图、光线与后期修图，一部手机拍出朋友圈爆款。', 'Composition, light and editing: magazine-quality shots with the phone in your pocket.', ['photography'], 129, 160],
  ['portrait-photography', '人像摄影与布光', 'Portrait Photography and Lighting', '自然光与闪光灯布光、引导模特、调色流程。', 'Natural light and flash setups, posing your subject and a colour-grading workflow.', ['photography', 'design'], 399, 500],
  ['vlog-editing', '短视频剪辑与 Vlog 制作', 'Short Video Editing and Vlogging', '剪映与 Premiere 双线教学，脚本、节奏、字幕、配乐。', 'CapCut and Premiere side by side: scripts, pacing, captions and music.', ['video-editing', 'marketing'], 199, 250],
  ['writing-that-sells', '爆款写作：写出有人看的文章', 'Writing People Actually Read', '选题、结构、标题与金句，21 天写作打卡。', 'Topics, structure, headlines and hooks, with a 21-day writing challenge.', ['writing', 'copywriting'], 149, 190],
  ['copywriting-conversion', '高转化文案训练营', 'Copywriting That Converts', '卖点提炼、用户痛点、落地页与私域文案模板。', 'Finding the selling point, naming the pain, landing pages and messaging templates.', ['copywriting', 'marketing'], 299, 380],
  ['xiaohongshu-growth', '小红书从 0 到 1 万粉', 'Growing to 10k Followers on Xiaohongshu', '账号定位、内容选题、流量机制与变现路径。', 'Positioning, content planning, how the feed works and how to earn from it.', ['marketing', 'startup'], 259, 330],
  ['personal-finance-101', '年轻人的理财第一课', 'Personal Finance 101', '记账、预算、应急金与保险配置，建立你的财务体系。', 'Tracking, budgeting, an emergency fund and insurance: build your money system.', ['personal-finance'], 59, 80],
  ['index-fund-investing', '指数基金定投实战', 'Index Fund Investing in Practice', '估值、定投策略与资产配置，远离追涨杀跌。', 'Valuation, regular investing and asset allocation, without chasing the market.', ['investing', 'personal-finance'], 199, 250],
  ['stock-analysis', '读懂财报：价值投资入门', 'Reading Financial Statements for Value Investors', '三张报表、关键指标与估值模型，案例拆解 10 家公司。', 'Three statements, key ratios and valuation models, with ten company case studies.', ['investing'], 399, 500],
  ['spoken-english-30', '30 天英语口语突破', 'Speak English with Confidence in 30 Days', '每日情景对话、发音纠正与外教点评。', 'Daily real-life dialogues, pronunciation fixes and feedback from native teachers.', ['english'], 299, 380],
  ['ielts-7', '雅思 7 分冲刺', 'IELTS Band 7 Sprint', '听说读写四科方法与真题精讲，附写作批改。', 'Methods and past papers for all four skills, with essay marking.', ['english', 'career'], 699, 880],
  ['japanese-n5-n4', '日语入门 N5-N4', 'Japanese for Beginners (N5–N4)', '五十音、基础语法与日常会话，动漫片段辅助学习。', 'Kana, core grammar and everyday conversation, with anime clips to help it stick.', ['japanese'], 249, 310],
  ['public-speaking', '演讲与表达力', 'Public Speaking and Presence', '克服紧张、讲好故事、即兴表达与汇报技巧。', 'Beat nerves, tell stories, speak off the cuff and present to your boss.', ['public-speaking', 'career'], 199, 250],
  ['job-interview-kit', '求职面试通关指南', 'The Job Interview Playbook', '简历优化、行为面试 STAR 法与薪资谈判。', 'Resume polishing, STAR answers for behavioural interviews and salary negotiation.', ['career'], 99, 130],
  ['product-manager-bootcamp', '产品经理入门训练营', 'Product Manager Bootcamp', '需求分析、原型设计、数据驱动与跨团队协作。', 'Requirements, prototyping, data-driven decisions and working across teams.', ['product-management', 'career', 'design'], 599, 750],
  ['figma-ui-design', 'Figma UI 设计实战', 'UI Design in Figma', '设计系统、组件与自动布局，完成一个完整 App 设计。', 'Design systems, components and auto layout, ending with a complete app design.', ['design'], 299, 380],
  ['procreate-illustration', 'iPad 插画：Procreate 零基础', 'Illustration on iPad with Procreate', '笔刷、线稿、上色与质感，从临摹到原创。', 'Brushes, line art, colour and texture, from copying to your own style.', ['drawing', 'design'], 199, 250],
  ['home-workout', '居家健身 28 天燃脂计划', '28-Day Home Workout Plan', '无器械训练、饮食建议与打卡督促。', 'No-equipment training, eating advice and daily check-ins.', ['fitness'], 79, 100],
  ['yoga-meditation', '瑜伽与冥想：减压睡好觉', 'Yoga and Meditation for Better Sleep', '晨练流、睡前放松与呼吸练习。', 'A morning flow, a bedtime wind-down and breathing practice.', ['yoga', 'psychology'], 129, 160],
  ['home-cooking', '家常菜 50 道', '50 Everyday Chinese Dishes', '快手菜、下饭菜与宴客菜，配食材清单。', 'Quick dishes, rice companions and dinner-party plates, with shopping lists.', ['cooking'], 89, 110],
  ['positive-parenting', '正面管教：不吼不叫养孩子', 'Positive Parenting', '情绪管理、规则建立与亲子沟通。', 'Handling emotions, setting rules and talking with your child.', ['parenting', 'psychology'], 199, 250],
  ['guitar-beginner', '吉他弹唱入门', 'Guitar for Beginners: Play and Sing', '和弦、节奏型与 20 首流行歌弹唱。', 'Chords, strumming patterns and 20 pop songs to play and sing.', ['guitar', 'music'], 159, 200],
  ['side-business', '副业赚钱：从技能到收入', 'From Skill to Side Income', '找到可变现技能、定价、获客与交付。', 'Find a skill people pay for, price it, find clients and deliver.', ['startup', 'marketing', 'career'], 299, 380],
  ['emotional-resilience', '情绪自愈力：告别焦虑', 'Emotional Resilience: Beyond Anxiety', '认知行为方法与日常练习，重建内在稳定。', 'CBT-based tools and daily practice to feel steady again.', ['psychology'], 149, 190],
];

/** The demo catalogue as course inputs, all on sale, prices in CNY fen and in Telegram Stars. */
export function demoCourses(): CourseInput[] {
  return DEMO.map(([slug, titleZh, titleEn, descriptionZh, descriptionEn, tags, priceYuan, stars]) => ({
    slug, titleZh, titleEn, descriptionZh, descriptionEn, tags,
    priceMinor: priceYuan * 100,
    currency: 'CNY',
    priceStars: stars,
    status: 'on_sale',
  }));
}
