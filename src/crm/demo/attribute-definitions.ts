/**
 * The custom attributes the demo data uses, so a seeder can define them (entity, key, type, labels) before
 * inserting customers and products.
 */
export interface DemoAttributeDefinition {
  entity: 'customer' | 'product'
  key: string
  type: 'text' | 'number' | 'boolean' | 'select'
  labels: { zh: string; en: string }
  options: string[] | null
}

export const DEMO_ATTRIBUTE_DEFINITIONS: readonly DemoAttributeDefinition[] = [
  {
    entity: 'customer',
    key: 'preferredLanguage',
    type: 'select',
    labels: { zh: '偏好语言', en: 'Preferred language' },
    options: ['zh', 'en'],
  },
  {
    entity: 'customer',
    key: 'preferredChannel',
    type: 'select',
    labels: { zh: '偏好渠道', en: 'Preferred channel' },
    options: ['wechat', 'app', 'phone', 'email', 'sms'],
  },
  {
    entity: 'customer',
    key: 'memberPoints',
    type: 'number',
    labels: { zh: '会员积分', en: 'Member points' },
    options: null,
  },
  {
    entity: 'customer',
    key: 'marketingOptIn',
    type: 'boolean',
    labels: { zh: '接受营销', en: 'Marketing opt-in' },
    options: null,
  },
  {
    entity: 'customer',
    key: 'birthYear',
    type: 'number',
    labels: { zh: '出生年份', en: 'Birth year' },
    options: null,
  },
  {
    entity: 'customer',
    key: 'memberNumber',
    type: 'text',
    labels: { zh: '会员号', en: 'Member number' },
    options: null,
  },
  { entity: 'product', key: 'color', type: 'text', labels: { zh: '颜色', en: 'Colour' }, options: null },
  {
    entity: 'product',
    key: 'warrantyMonths',
    type: 'number',
    labels: { zh: '保修月数', en: 'Warranty (months)' },
    options: null,
  },
  {
    entity: 'product',
    key: 'weightGrams',
    type: 'number',
    labels: { zh: '重量（克）', en: 'Weight (g)' },
    options: null,
  },
  {
    entity: 'product',
    key: 'batteryHours',
    type: 'number',
    labels: { zh: '续航（小时）', en: 'Battery (hours)' },
    options: null,
  },
  {
    entity: 'product',
    key: 'wireless',
    type: 'boolean',
    labels: { zh: '无线', en: 'Wireless' },
    options: null,
  },
  {
    entity: 'product',
    key: 'waterResistance',
    type: 'text',
    labels: { zh: '防水等级', en: 'Water resistance' },
    options: null,
  },
  {
    entity: 'product',
    key: 'connectivity',
    type: 'text',
    labels: { zh: '连接方式', en: 'Connectivity' },
    options: null,
  },
  {
    entity: 'product',
    key: 'capacityMl',
    type: 'number',
    labels: { zh: '容量（毫升）', en: 'Capacity (ml)' },
    options: null,
  },
  {
    entity: 'product',
    key: 'capacityMah',
    type: 'number',
    labels: { zh: '电池容量（mAh）', en: 'Battery capacity (mAh)' },
    options: null,
  },
  {
    entity: 'product',
    key: 'powerWatts',
    type: 'number',
    labels: { zh: '功率（瓦）', en: 'Power (W)' },
    options: null,
  },
  { entity: 'product', key: 'material', type: 'text', labels: { zh: '材质', en: 'Material' }, options: null },
  {
    entity: 'product',
    key: 'switchType',
    type: 'text',
    labels: { zh: '轴体', en: 'Switch type' },
    options: null,
  },
  {
    entity: 'product',
    key: 'screenInches',
    type: 'number',
    labels: { zh: '屏幕尺寸（英寸）', en: 'Screen (inches)' },
    options: null,
  },
  {
    entity: 'product',
    key: 'compatibleWith',
    type: 'text',
    labels: { zh: '适配', en: 'Compatible with' },
    options: null,
  },
  {
    entity: 'product',
    key: 'inStock',
    type: 'boolean',
    labels: { zh: '有货', en: 'In stock' },
    options: null,
  },
]
