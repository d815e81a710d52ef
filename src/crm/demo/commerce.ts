import type { Random } from './random.js'
import { shanghai } from './timeline.js'

/** Couriers the demo shop ships with, how customers call them, and how their tracking numbers look. */
export interface Carrier {
  readonly name: string
  readonly short: { readonly zh: string; readonly en: string }
  /** Nominal days in transit (used for the promised date) and the spread of actual days. */
  readonly transitDays: readonly [number, number]
  tracking(random: Random): string
}

function digits(random: Random, count: number): string {
  let out = ''
  for (let i = 0; i < count; i++) out += String(random.int(i === 0 ? 1 : 0, 9))
  return out
}

export const CARRIERS = {
  sf: {
    name: '顺丰 SF Express',
    short: { zh: '顺丰', en: 'SF Express' },
    transitDays: [1, 2],
    tracking: (random) => `SF${digits(random, 13)}`,
  },
  zto: {
    name: '中通 ZTO Express',
    short: { zh: '中通', en: 'ZTO' },
    transitDays: [2, 4],
    tracking: (random) => `7${random.pick(['3', '5', '8'])}${digits(random, 12)}`,
  },
  jd: {
    name: '京东物流 JD Logistics',
    short: { zh: '京东物流', en: 'JD Logistics' },
    transitDays: [1, 3],
    tracking: (random) => `JDV${random.pick(['A', 'B', 'C', 'E'])}${digits(random, 11)}`,
  },
  dhl: {
    name: 'DHL Express',
    short: { zh: 'DHL', en: 'DHL' },
    transitDays: [4, 8],
    tracking: (random) => digits(random, 10),
  },
  ups: {
    name: 'UPS',
    short: { zh: 'UPS', en: 'UPS' },
    transitDays: [5, 9],
    tracking: (random) =>
      `1Z${random.pick(['A', 'V', 'W', 'X'])}${digits(random, 2)}${random.pick(['E', 'F', 'R'])}${random.pick(['6', '7', '8'])}${digits(random, 11)}`,
  },
} as const satisfies Record<string, Carrier>

export type CarrierKey = keyof typeof CARRIERS

const BY_NAME = new Map<string, Carrier>(Object.values(CARRIERS).map((carrier) => [carrier.name, carrier]))

export function carrierByName(name: string): Carrier | null {
  return BY_NAME.get(name) ?? null
}

/** A coupon code and what it takes off a subtotal (in fen), given when and by whom it is used. */
export interface Coupon {
  readonly code: string
  readonly minimum: number
  /** Fixed amount off, or a rate with a cap. */
  readonly off: { readonly amount: number } | { readonly rate: number; readonly cap: number }
  readonly available: (context: {
    placedMs: number
    firstOrder: boolean
    tier: string
    student: boolean
  }) => boolean
  readonly weight: number
}

export const COUPONS: readonly Coupon[] = [
  { code: 'WELCOME20', minimum: 9900, off: { amount: 2000 }, available: (c) => c.firstOrder, weight: 6 },
  { code: 'LUMEN30', minimum: 29900, off: { amount: 3000 }, available: () => true, weight: 5 },
  { code: 'SAVE50', minimum: 49900, off: { amount: 5000 }, available: () => true, weight: 3 },
  {
    code: 'VIP100',
    minimum: 99900,
    off: { amount: 10000 },
    available: (c) => c.tier === 'gold' || c.tier === 'vip',
    weight: 3,
  },
  {
    code: 'DOUBLE11',
    minimum: 0,
    off: { rate: 0.15, cap: 30000 },
    available: (c) => {
      const { month, day } = shanghai(c.placedMs)
      return month === 11 && day <= 11
    },
    weight: 12,
  },
  {
    code: '618SALE',
    minimum: 50000,
    off: { amount: 6000 },
    available: (c) => {
      const { month, day } = shanghai(c.placedMs)
      return month === 6 && day <= 18
    },
    weight: 10,
  },
  { code: 'STUDENT15', minimum: 0, off: { rate: 0.15, cap: 15000 }, available: (c) => c.student, weight: 6 },
  { code: 'HELLO10', minimum: 0, off: { rate: 0.1, cap: 10000 }, available: () => true, weight: 2 },
]

/** The discount a coupon gives on a subtotal, never more than the subtotal. */
export function couponDiscount(coupon: Coupon, subtotal: number): number {
  if (subtotal < coupon.minimum) return 0
  const raw =
    'amount' in coupon.off
      ? coupon.off.amount
      : Math.min(Math.round(subtotal * coupon.off.rate), coupon.off.cap)
  return Math.min(raw, subtotal)
}
