import { z } from 'zod'

/** ISO 4217 codes the workspace may use. Unknown codes are rejected with this list. */
export const CURRENCIES = ['CNY', 'USD', 'EUR', 'GBP', 'HKD', 'TWD', 'JPY', 'SGD', 'AUD', 'CAD'] as const
export type Currency = (typeof CURRENCIES)[number]

/** Money in integer minor units: `{ amount: 29900, currency: 'CNY' }` is ¥299.00. */
export interface Money {
  readonly amount: number
  readonly currency: Currency
}

export const currencySchema = z.enum(CURRENCIES)
/** Minor units; bounded so that sums stay exact in a double and fit a Postgres bigint. */
export const minorUnitsSchema = z.number().int().min(-1e13).max(1e13)

export const moneySchema = z.strictObject({ amount: minorUnitsSchema, currency: currencySchema })

/** Sums amounts of one currency; mixing currencies is an error, never a silent total. */
export function sumMoney(values: readonly Money[], currency: Currency): Money {
  let amount = 0
  for (const value of values) {
    if (value.currency !== currency) {
      throw new Error(`cannot add ${value.currency} to a ${currency} total; convert first`)
    }
    amount += value.amount
  }
  return { amount, currency }
}
