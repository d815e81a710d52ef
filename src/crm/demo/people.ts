/**
 * Name pools for demo customers: Chinese surnames and given-name characters with pinyin (for plausible email
 * addresses), English names, Hong Kong and Taiwan romanisations, email domains and ~30 companies.
 */

export interface Romanised {
  readonly hanzi: string
  readonly latin: string
}

function words(text: string): readonly string[] {
  return text.split(/\s+/).filter((word) => word.length > 0)
}

function parsePairs(text: string): readonly Romanised[] {
  return [...text.matchAll(/([\u4e00-\u9fff]+)([a-z]+)/g)].map((m) => ({ hanzi: m[1], latin: m[2] }))
}

/** Roughly in order of frequency; draw with a bias towards the front. */
export const SURNAMES = parsePairs(
  '王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu 胡hu 郭guo 何he ' +
    '林lin 罗luo 高gao 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng ' +
    '肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lv 丁ding ' +
    '任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia ' +
    '韦wei 方fang 白bai 邹zou 孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 段duan 雷lei 侯hou 龙long ' +
    '史shi 陶tao 黎li 贺he 顾gu 毛mao 郝hao 邵shao 万wan 钱qian 严yan 武wu 戴dai 莫mo 孔kong 汤tang ' +
    '欧阳ouyang 司徒situ 上官shangguan',
)

/** Characters that appear in given names, split loosely by how they are usually used. */
export const GIVEN_FEMININE = parsePairs(
  '芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 秀xiu 霞xia 萍ping 红hong 欣xin 怡yi 雨yu 思si 佳jia 琪qi ' +
    '诺nuo 依yi 馨xin 悦yue 婷ting 雪xue 瑶yao 梦meng 诗shi 雅ya 晴qing 婧jing 蕾lei 倩qian 颖ying 慧hui ' +
    '琳lin 薇wei 璐lu 彤tong 洁jie 玲ling 燕yan 月yue 菲fei 岚lan 嘉jia 晓xiao 可ke 心xin 一yi 子zi 梓zi 涵han',
)
export const GIVEN_MASCULINE = parsePairs(
  '伟wei 强qiang 磊lei 军jun 洋yang 勇yong 杰jie 涛tao 明ming 超chao 平ping 刚gang 建jian 文wen 辉hui ' +
    '宇yu 浩hao 轩xuan 晨chen 博bo 然ran 鑫xin 鹏peng 俊jun 凯kai 斌bin 帆fan 宁ning 天tian 睿rui 泽ze ' +
    '阳yang 昊hao 铭ming 航hang 立li 志zhi 海hai 林lin 逸yi 瑞rui 骏jun 哲zhe 奕yi 安an 嘉jia 子zi 一yi 晓xiao',
)

export const ENGLISH_FIRST_FEMININE: readonly string[] = words(
  'Emily Olivia Sophie Charlotte Amelia Grace Hannah Jessica Lucy Chloe Emma Ava Mia Sarah ' +
    'Rachel Laura Megan Katie Zoe Isabella Natalie Ashley Lauren Madison Priya Aisha Sofia Nora ' +
    'Freya Ellie Jenny Michelle Stephanie Amy',
)
export const ENGLISH_FIRST_MASCULINE: readonly string[] = words(
  'James Oliver Jack Harry George Thomas William Daniel Michael David Matthew Ryan Ethan Noah ' +
    'Liam Lucas Benjamin Samuel Joshua Alex Chris Tom Ben Jake Kevin Brian Tyler Connor Aiden ' +
    'Omar Raj Carlos Mateo Andrew Jason',
)
export const ENGLISH_LAST: readonly string[] = words(
  'Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore Martin ' +
    'Jackson White Harris Clark Lewis Walker Hall Young King Wright Scott Green Baker Adams Hill ' +
    'Campbell Mitchell Roberts Carter Evans Turner Cooper Ward Hughes Edwards Bennett Wood Murphy ' +
    "O'Brien Kelly Patel Shah Khan Nguyen Kim Garcia Rodriguez Lopez Fischer Rossi Novak Fraser " +
    'MacDonald Robinson Chen Zhang Wong',
)

/** Hong Kong English names with Cantonese surnames (the hanzi is used for the Chinese spelling). */
export const HK_SURNAMES = parsePairs(
  '陈chan 黄wong 李lee 张cheung 刘lau 吴ng 何ho 梁leung 邓tang 林lam 叶yip 曾tsang 周chow 谢tse 郭kwok 冯fung',
)
export const HK_FIRST: readonly string[] = words(
  'Kelvin Winnie Ivan Karen Carmen Jacky Eric Vincent Gigi Mandy Ken Sandy Peggy Terence Wing ' +
    'Cindy Raymond Joey Heidi Alvin',
)
/** Taiwan romanisations (Wade–Giles style) of common surnames, for email addresses. */
export const TW_SURNAMES = parsePairs(
  '陈chen 林lin 黄huang 张chang 李lee 王wang 吴wu 刘liu 蔡tsai 杨yang 许hsu 郑cheng 谢hsieh 郭kuo 洪hung ' +
    '曾tseng 邱chiu 廖liao 赖lai 周chou',
)

export const EMAIL_DOMAINS_ZH: readonly (readonly [string, number])[] = [
  ['qq.com', 32],
  ['163.com', 20],
  ['126.com', 8],
  ['foxmail.com', 5],
  ['sina.com', 3],
  ['gmail.com', 6],
  ['outlook.com', 6],
  ['hotmail.com', 3],
  ['icloud.com', 8],
  ['yeah.net', 2],
  ['139.com', 2],
  ['aliyun.com', 1],
]
export const EMAIL_DOMAINS_US: readonly (readonly [string, number])[] = [
  ['gmail.com', 45],
  ['outlook.com', 12],
  ['hotmail.com', 7],
  ['yahoo.com', 9],
  ['icloud.com', 12],
  ['proton.me', 3],
  ['me.com', 3],
  ['aol.com', 2],
]
export const EMAIL_DOMAINS_GB: readonly (readonly [string, number])[] = [
  ['gmail.com', 40],
  ['outlook.com', 12],
  ['hotmail.co.uk', 12],
  ['yahoo.co.uk', 7],
  ['icloud.com', 10],
  ['btinternet.com', 5],
  ['sky.com', 3],
  ['live.co.uk', 3],
]
export const EMAIL_DOMAINS_HK: readonly (readonly [string, number])[] = [
  ['gmail.com', 45],
  ['yahoo.com.hk', 20],
  ['hotmail.com', 15],
  ['netvigator.com', 8],
  ['icloud.com', 12],
]
export const EMAIL_DOMAINS_TW: readonly (readonly [string, number])[] = [
  ['gmail.com', 50],
  ['yahoo.com.tw', 25],
  ['hotmail.com', 10],
  ['icloud.com', 10],
  ['hinet.net', 5],
]

/** Playful handles people put in front of digits: `sunny_1987@163.com`. */
export const HANDLES: readonly string[] = words(
  'sunny lucky candy tiger xiaoyu momo kiki leo coco panda mango bubble happy yoyo dudu ace ' +
    'nemo echo luna milo',
)

export interface CompanySeed {
  readonly key: string
  readonly zh: string
  readonly en: string
  readonly domain: string
  readonly industry: string
  /** Where its staff mostly are: mainland, international, Hong Kong or Taiwan. */
  readonly region: 'cn' | 'intl' | 'hk' | 'tw'
}

export const COMPANIES: readonly CompanySeed[] = [
  {
    key: 'co01',
    zh: '星河网络科技有限公司',
    en: 'Xinghe Network Technology',
    domain: 'xinghe-tech.cn',
    industry: 'software',
    region: 'cn',
  },
  {
    key: 'co02',
    zh: '蓝鲸数据',
    en: 'BlueWhale Data',
    domain: 'bluewhale-data.com',
    industry: 'software',
    region: 'cn',
  },
  {
    key: 'co03',
    zh: '青禾教育',
    en: 'Qinghe Education',
    domain: 'qinghe-edu.cn',
    industry: 'education',
    region: 'cn',
  },
  {
    key: 'co04',
    zh: '云帆供应链',
    en: 'Yunfan Supply Chain',
    domain: 'yunfan-scm.com',
    industry: 'logistics',
    region: 'cn',
  },
  {
    key: 'co05',
    zh: '锦程设计工作室',
    en: 'Jincheng Design Studio',
    domain: 'jincheng-design.cn',
    industry: 'design',
    region: 'cn',
  },
  {
    key: 'co06',
    zh: '北辰医疗器械',
    en: 'Beichen Medical Devices',
    domain: 'beichenmed.com',
    industry: 'healthcare',
    region: 'cn',
  },
  {
    key: 'co07',
    zh: '远山咖啡',
    en: 'Yuanshan Coffee',
    domain: 'yuanshancoffee.com',
    industry: 'food_beverage',
    region: 'cn',
  },
  {
    key: 'co08',
    zh: '晨曦律师事务所',
    en: 'Chenxi Law Firm',
    domain: 'chenxilaw.cn',
    industry: 'legal',
    region: 'cn',
  },
  {
    key: 'co09',
    zh: '知行管理咨询',
    en: 'Zhixing Management Consulting',
    domain: 'zhixing-consulting.com',
    industry: 'consulting',
    region: 'cn',
  },
  {
    key: 'co10',
    zh: '海川国际贸易',
    en: 'Haichuan International Trading',
    domain: 'haichuantrade.com',
    industry: 'trade',
    region: 'cn',
  },
  {
    key: 'co11',
    zh: '木棉广告',
    en: 'Kapok Advertising',
    domain: 'kapok-ad.cn',
    industry: 'marketing',
    region: 'cn',
  },
  {
    key: 'co12',
    zh: '鲸落互动娱乐',
    en: 'Whalefall Interactive',
    domain: 'whalefall-games.com',
    industry: 'gaming',
    region: 'cn',
  },
  {
    key: 'co13',
    zh: '禾苗生物科技',
    en: 'Sprout Biotech',
    domain: 'sproutbio.cn',
    industry: 'biotech',
    region: 'cn',
  },
  {
    key: 'co14',
    zh: '万象建筑设计院',
    en: 'Vista Architecture Institute',
    domain: 'vista-arch.com',
    industry: 'architecture',
    region: 'cn',
  },
  {
    key: 'co15',
    zh: '橙子互动',
    en: 'Orange Interactive',
    domain: 'orange-interactive.cn',
    industry: 'marketing',
    region: 'cn',
  },
  {
    key: 'co16',
    zh: '山海国际旅行社',
    en: 'Shanhai International Travel',
    domain: 'shanhaitravel.cn',
    industry: 'travel',
    region: 'cn',
  },
  {
    key: 'co17',
    zh: '墨白文化传媒',
    en: 'Mobai Media',
    domain: 'mobaimedia.com',
    industry: 'media',
    region: 'cn',
  },
  {
    key: 'co18',
    zh: '安和保险经纪',
    en: 'Anhe Insurance Brokers',
    domain: 'anhe-insure.com',
    industry: 'insurance',
    region: 'cn',
  },
  {
    key: 'co19',
    zh: '华章智造',
    en: 'Huazhang Smart Manufacturing',
    domain: 'huazhang-mfg.com',
    industry: 'manufacturing',
    region: 'cn',
  },
  {
    key: 'co20',
    zh: '北风数据分析',
    en: 'Northwind Analytics',
    domain: 'northwind-analytics.com',
    industry: 'software',
    region: 'intl',
  },
  {
    key: 'co21',
    zh: '清水湾咨询',
    en: 'Brightwater Consulting',
    domain: 'brightwater.co.uk',
    industry: 'consulting',
    region: 'intl',
  },
  {
    key: 'co22',
    zh: '港松设计',
    en: 'Harbor & Pine Design',
    domain: 'harborpine.com',
    industry: 'design',
    region: 'intl',
  },
  {
    key: 'co23',
    zh: '红隼机器人',
    en: 'Kestrel Robotics',
    domain: 'kestrelrobotics.io',
    industry: 'hardware',
    region: 'intl',
  },
  {
    key: 'co24',
    zh: '蓝鳍资本',
    en: 'Bluefin Capital',
    domain: 'bluefincap.com',
    industry: 'finance',
    region: 'intl',
  },
  {
    key: 'co25',
    zh: '码头传媒',
    en: 'Quayside Media',
    domain: 'quaysidemedia.co.uk',
    industry: 'media',
    region: 'intl',
  },
  {
    key: 'co26',
    zh: '灯塔实验室',
    en: 'Lighthouse Labs',
    domain: 'lighthouselabs.dev',
    industry: 'software',
    region: 'intl',
  },
  {
    key: 'co27',
    zh: '绿线物流',
    en: 'Greenline Logistics',
    domain: 'greenline-logistics.com',
    industry: 'logistics',
    region: 'intl',
  },
  {
    key: 'co28',
    zh: '环太平洋贸易',
    en: 'Pacific Rim Trading',
    domain: 'pacrim.com.hk',
    industry: 'trade',
    region: 'hk',
  },
  {
    key: 'co29',
    zh: '维港会计师行',
    en: 'Harbourview Accountants',
    domain: 'harbourview-cpa.hk',
    industry: 'accounting',
    region: 'hk',
  },
  {
    key: 'co30',
    zh: '晴光设计',
    en: 'Sunlight Design Co.',
    domain: 'sunlight-design.com.tw',
    industry: 'design',
    region: 'tw',
  },
]
