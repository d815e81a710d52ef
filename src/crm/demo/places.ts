/**
 * Places for demo addresses: mainland Chinese cities with provinces, districts, postcodes and streets, plus
 * Hong Kong, Taiwan and a few overseas cities. Every name has a Chinese and an English spelling.
 */

export interface Place {
  readonly zh: string
  readonly en: string
}

export interface District extends Place {
  readonly postalCode: string
}

export type Country = 'CN' | 'HK' | 'TW' | 'US' | 'GB' | 'SG' | 'AU' | 'CA'

export interface City {
  readonly country: Country
  /** Short name, as people say it: 上海 / Shanghai. */
  readonly name: Place
  /** Name as written on an address: 上海市 / Shanghai. */
  readonly formal: Place
  readonly region: Place
  readonly districts: readonly District[]
  readonly streets: readonly Place[]
  readonly weight: number
}

function places(text: string): Place[] {
  return text.split(';').map((part) => {
    const [zh, en] = part.split('|').map((s) => s.trim())
    return { zh, en }
  })
}

function districts(text: string): District[] {
  return text.split(';').map((part) => {
    const [zh, en, postalCode] = part.split('|').map((s) => s.trim())
    return { zh, en, postalCode }
  })
}

function city(
  country: Country,
  name: string,
  formal: string,
  region: string,
  districtList: string,
  streetList: string,
  weight: number,
): City {
  return {
    country,
    name: places(name)[0],
    formal: places(formal)[0],
    region: places(region)[0],
    districts: districts(districtList),
    streets: places(streetList),
    weight,
  }
}

export const MAINLAND_CITIES: readonly City[] = [
  city(
    'CN',
    '上海|Shanghai',
    '上海市|Shanghai',
    '上海市|Shanghai',
    "浦东新区|Pudong New Area|200120; 徐汇区|Xuhui District|200030; 静安区|Jing'an District|200040; 闵行区|Minhang District|201100; 杨浦区|Yangpu District|200082; 长宁区|Changning District|200050",
    '世纪大道|Century Avenue; 淮海中路|Middle Huaihai Road; 南京西路|West Nanjing Road; 漕溪北路|North Caoxi Road; 张杨路|Zhangyang Road; 虹桥路|Hongqiao Road; 国定路|Guoding Road',
    14,
  ),
  city(
    'CN',
    '北京|Beijing',
    '北京市|Beijing',
    '北京市|Beijing',
    '朝阳区|Chaoyang District|100020; 海淀区|Haidian District|100080; 东城区|Dongcheng District|100010; 丰台区|Fengtai District|100070; 昌平区|Changping District|102200',
    '建国路|Jianguo Road; 中关村大街|Zhongguancun Street; 望京街|Wangjing Street; 三里屯路|Sanlitun Road; 学院路|Xueyuan Road; 东三环中路|Middle East Third Ring Road',
    12,
  ),
  city(
    'CN',
    '广州|Guangzhou',
    '广州市|Guangzhou',
    '广东省|Guangdong',
    '天河区|Tianhe District|510620; 越秀区|Yuexiu District|510030; 海珠区|Haizhu District|510220; 番禺区|Panyu District|511400',
    '天河路|Tianhe Road; 花城大道|Huacheng Avenue; 江南大道中|Middle Jiangnan Avenue; 中山五路|Zhongshan Fifth Road; 体育西路|West Tiyu Road',
    9,
  ),
  city(
    'CN',
    '深圳|Shenzhen',
    '深圳市|Shenzhen',
    '广东省|Guangdong',
    "南山区|Nanshan District|518052; 福田区|Futian District|518048; 宝安区|Bao'an District|518101; 龙岗区|Longgang District|518172; 龙华区|Longhua District|518109",
    '深南大道|Shennan Avenue; 科技南路|South Keji Road; 福华三路|Fuhua Third Road; 后海大道|Houhai Avenue; 新湖路|Xinhu Road',
    10,
  ),
  city(
    'CN',
    '杭州|Hangzhou',
    '杭州市|Hangzhou',
    '浙江省|Zhejiang',
    '西湖区|Xihu District|310012; 滨江区|Binjiang District|310051; 余杭区|Yuhang District|311121; 拱墅区|Gongshu District|310011',
    '文三路|Wensan Road; 文一西路|West Wenyi Road; 江南大道|Jiangnan Avenue; 莫干山路|Moganshan Road; 网商路|Wangshang Road',
    7,
  ),
  city(
    'CN',
    '成都|Chengdu',
    '成都市|Chengdu',
    '四川省|Sichuan',
    '武侯区|Wuhou District|610041; 锦江区|Jinjiang District|610021; 高新区|Hi-tech Zone|610041; 青羊区|Qingyang District|610031',
    '天府大道|Tianfu Avenue; 人民南路|South Renmin Road; 春熙路|Chunxi Road; 科华北路|North Kehua Road; 玉林路|Yulin Road',
    6,
  ),
  city(
    'CN',
    '武汉|Wuhan',
    '武汉市|Wuhan',
    '湖北省|Hubei',
    '洪山区|Hongshan District|430070; 武昌区|Wuchang District|430060; 江汉区|Jianghan District|430022',
    '珞喻路|Luoyu Road; 中南路|Zhongnan Road; 解放大道|Jiefang Avenue; 光谷大道|Guanggu Avenue',
    4,
  ),
  city(
    'CN',
    '南京|Nanjing',
    '南京市|Nanjing',
    '江苏省|Jiangsu',
    '鼓楼区|Gulou District|210008; 玄武区|Xuanwu District|210018; 建邺区|Jianye District|210019',
    '中山路|Zhongshan Road; 汉中路|Hanzhong Road; 江东中路|Middle Jiangdong Road; 珠江路|Zhujiang Road',
    4,
  ),
  city(
    'CN',
    '苏州|Suzhou',
    '苏州市|Suzhou',
    '江苏省|Jiangsu',
    '姑苏区|Gusu District|215000; 工业园区|Suzhou Industrial Park|215021; 吴中区|Wuzhong District|215100',
    '星湖街|Xinghu Street; 干将路|Ganjiang Road; 现代大道|Xiandai Avenue',
    3,
  ),
  city(
    'CN',
    "西安|Xi'an",
    "西安市|Xi'an",
    '陕西省|Shaanxi',
    '雁塔区|Yanta District|710061; 碑林区|Beilin District|710001; 未央区|Weiyang District|710016',
    "长安南路|South Chang'an Road; 小寨东路|East Xiaozhai Road; 科技路|Keji Road",
    3,
  ),
  city(
    'CN',
    '重庆|Chongqing',
    '重庆市|Chongqing',
    '重庆市|Chongqing',
    '渝中区|Yuzhong District|400010; 江北区|Jiangbei District|400020; 渝北区|Yubei District|401120',
    '民族路|Minzu Road; 建新北路|North Jianxin Road; 金开大道|Jinkai Avenue',
    4,
  ),
  city(
    'CN',
    '天津|Tianjin',
    '天津市|Tianjin',
    '天津市|Tianjin',
    '和平区|Heping District|300041; 南开区|Nankai District|300100; 河西区|Hexi District|300202',
    '南京路|Nanjing Road; 卫津路|Weijin Road; 友谊路|Youyi Road',
    2,
  ),
  city(
    'CN',
    '长沙|Changsha',
    '长沙市|Changsha',
    '湖南省|Hunan',
    '岳麓区|Yuelu District|410006; 天心区|Tianxin District|410004; 开福区|Kaifu District|410005',
    '麓山南路|South Lushan Road; 五一大道|Wuyi Avenue; 芙蓉中路|Middle Furong Road',
    2,
  ),
  city(
    'CN',
    '厦门|Xiamen',
    '厦门市|Xiamen',
    '福建省|Fujian',
    '思明区|Siming District|361000; 湖里区|Huli District|361006',
    '湖滨南路|South Hubin Road; 环岛路|Huandao Road; 嘉禾路|Jiahe Road',
    2,
  ),
  city(
    'CN',
    '青岛|Qingdao',
    '青岛市|Qingdao',
    '山东省|Shandong',
    '市南区|Shinan District|266000; 崂山区|Laoshan District|266100',
    '香港中路|Middle Xianggang Road; 东海西路|West Donghai Road; 海尔路|Haier Road',
    2,
  ),
  city(
    'CN',
    '郑州|Zhengzhou',
    '郑州市|Zhengzhou',
    '河南省|Henan',
    '金水区|Jinshui District|450000; 郑东新区|Zhengdong New District|450018',
    '花园路|Huayuan Road; 农业路|Nongye Road; 商务外环路|Shangwu Outer Ring Road',
    2,
  ),
  city(
    'CN',
    '合肥|Hefei',
    '合肥市|Hefei',
    '安徽省|Anhui',
    '蜀山区|Shushan District|230031; 包河区|Baohe District|230051',
    '长江西路|West Changjiang Road; 徽州大道|Huizhou Avenue',
    1,
  ),
  city(
    'CN',
    '昆明|Kunming',
    '昆明市|Kunming',
    '云南省|Yunnan',
    '五华区|Wuhua District|650021; 盘龙区|Panlong District|650051',
    '人民中路|Middle Renmin Road; 北京路|Beijing Road',
    1,
  ),
  city(
    'CN',
    '沈阳|Shenyang',
    '沈阳市|Shenyang',
    '辽宁省|Liaoning',
    '和平区|Heping District|110001; 浑南区|Hunnan District|110179',
    '青年大街|Qingnian Street; 南京北街|North Nanjing Street',
    1,
  ),
]

export const HONG_KONG: City = city(
  'HK',
  '香港|Hong Kong',
  '香港|Hong Kong',
  '香港特别行政区|Hong Kong SAR',
  '中西区|Central and Western|999077; 湾仔区|Wan Chai|999077; 观塘区|Kwun Tong|999077; 沙田区|Sha Tin|999077; 油尖旺区|Yau Tsim Mong|999077',
  '德辅道中|Des Voeux Road Central; 轩尼诗道|Hennessy Road; 观塘道|Kwun Tong Road; 弥敦道|Nathan Road; 沙田正街|Sha Tin Centre Street',
  1,
)

export const TAIWAN_CITIES: readonly City[] = [
  city(
    'TW',
    '台北|Taipei',
    '台北市|Taipei City',
    '台湾|Taiwan',
    "大安区|Da'an District|106; 信义区|Xinyi District|110; 中山区|Zhongshan District|104",
    '忠孝东路四段|Sec. 4, Zhongxiao E. Rd.; 信义路五段|Sec. 5, Xinyi Rd.; 南京东路三段|Sec. 3, Nanjing E. Rd.',
    3,
  ),
  city(
    'TW',
    '台中|Taichung',
    '台中市|Taichung City',
    '台湾|Taiwan',
    '西屯区|Xitun District|407; 南屯区|Nantun District|408',
    '台湾大道三段|Sec. 3, Taiwan Blvd.; 公益路二段|Sec. 2, Gongyi Rd.',
    1,
  ),
  city(
    'TW',
    '高雄|Kaohsiung',
    '高雄市|Kaohsiung City',
    '台湾|Taiwan',
    '前镇区|Qianzhen District|806; 苓雅区|Lingya District|802',
    '中华五路|Zhonghua 5th Rd.; 四维三路|Siwei 3rd Rd.',
    1,
  ),
]

export const OVERSEAS_CITIES: readonly City[] = [
  city(
    'US',
    '旧金山|San Francisco',
    '旧金山|San Francisco',
    '加利福尼亚州|CA',
    '米慎区|Mission District|94110; 南市场|SoMa|94107; 日落区|Sunset District|94122',
    '|Market St; |Valencia St; |Folsom St; |Irving St',
    3,
  ),
  city(
    'US',
    '纽约|New York',
    '纽约|New York',
    '纽约州|NY',
    '曼哈顿|Manhattan|10001; 布鲁克林|Brooklyn|11201',
    '|W 34th St; |Broadway; |Atlantic Ave; |Bedford Ave',
    3,
  ),
  city(
    'US',
    '西雅图|Seattle',
    '西雅图|Seattle',
    '华盛顿州|WA',
    '国会山|Capitol Hill|98102; 贝尔敦|Belltown|98121',
    '|Pine St; |Bell St; |E Olive Way',
    2,
  ),
  city(
    'US',
    '奥斯汀|Austin',
    '奥斯汀|Austin',
    '得克萨斯州|TX',
    '市中心|Downtown|78701; 东奥斯汀|East Austin|78702',
    '|Congress Ave; |E 6th St; |Cesar Chavez St',
    1,
  ),
  city(
    'US',
    '波士顿|Boston',
    '波士顿|Boston',
    '马萨诸塞州|MA',
    '后湾|Back Bay|02116; 南端|South End|02118',
    '|Boylston St; |Tremont St; |Columbus Ave',
    1,
  ),
  city(
    'GB',
    '伦敦|London',
    '伦敦|London',
    '英格兰|England',
    '肖尔迪奇|Shoreditch|E1 6AN; 南岸|South Bank|SE1 9SG; 伊斯灵顿|Islington|N1 9GU; 帕丁顿|Paddington|W2 1HB',
    '|Baker Street; |Upper Street; |Church Road; |Kings Road; |Commercial Street',
    4,
  ),
  city(
    'GB',
    '曼彻斯特|Manchester',
    '曼彻斯特|Manchester',
    '英格兰|England',
    '北区|Northern Quarter|M1 1AE; 安科茨|Ancoats|M4 6BF',
    '|Oldham Street; |Great Ancoats Street; |Station Road',
    2,
  ),
  city(
    'GB',
    '爱丁堡|Edinburgh',
    '爱丁堡|Edinburgh',
    '苏格兰|Scotland',
    '新城|New Town|EH2 2ER; 利斯|Leith|EH6 6QU',
    '|Queen Street; |Leith Walk; |George Street',
    1,
  ),
  city(
    'GB',
    '布里斯托|Bristol',
    '布里斯托|Bristol',
    '英格兰|England',
    '克利夫顿|Clifton|BS8 4AA; 市中心|City Centre|BS1 4DJ',
    '|Whiteladies Road; |Park Street; |Mill Lane',
    1,
  ),
  city(
    'SG',
    '新加坡|Singapore',
    '新加坡|Singapore',
    '新加坡|Singapore',
    '乌节|Orchard|238859; 丹戎巴葛|Tanjong Pagar|088540',
    '|Orchard Road; |Tanjong Pagar Road; |Holland Avenue',
    2,
  ),
  city(
    'AU',
    '悉尼|Sydney',
    '悉尼|Sydney',
    '新南威尔士州|NSW',
    '萨里山|Surry Hills|2010; 邦迪|Bondi|2026',
    '|Crown Street; |Campbell Parade; |Oxford Street',
    1,
  ),
  city(
    'CA',
    '多伦多|Toronto',
    '多伦多|Toronto',
    '安大略省|ON',
    '国王西|King West|M5V 3L9; 约克维尔|Yorkville|M5R 1B2',
    '|King Street West; |Bloor Street West; |Queen Street East',
    1,
  ),
]

/** Residential compounds and office buildings that finish a Chinese address line. */
export const COMPOUNDS_ZH: readonly string[] = (
  '阳光花园 万科城 碧桂园 绿地中心 保利花园 华润城 龙湖天街 金地格林小镇 中海国际社区 融创壹号院 时代广场 创业大厦 科技园B座 翠苑小区 锦绣江南 ' +
  '世纪新城 财富中心 名都公寓'
).split(' ')
export const HK_BUILDINGS: readonly string[] = (
  '海景大厦|Harbour View Mansion; 荣华阁|Wing Wah Court; 中环大厦|Central Building; ' +
  '翠怡花园|Chui Yi Gardens; 丽港城|Laguna City; 新都城|Metro City'
).split('; ')
