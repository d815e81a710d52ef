import { describe, expect, it } from 'vitest'
import { fixedClock, isAppError } from '../core/index.js'
import {
  acceptWebhook,
  inboxSecret,
  signWebhook,
  signedHeaders,
  verifyWebhook,
  type ReplayGuard,
} from './signature.js'

const secret = inboxSecret('workspace-secret', 'inb_TEST')
const body = Buffer.from(JSON.stringify({ from: '+8613800138000', text: '你好', messageId: 'sms-1' }))

function codeOf(run: () => unknown): string | null {
  try {
    run()
    return null
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError'
  }
}

function memoryReplays(): ReplayGuard {
  const seen = new Set<string>()
  return {
    async claim(inboxId, signature) {
      const key = `${inboxId}:${signature}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    },
    async release(inboxId, signature) {
      seen.delete(`${inboxId}:${signature}`)
    },
  }
}

describe('webhook signatures', () => {
  const clock = fixedClock('2026-11-25T02:00:00.000Z')

  it('derives a distinct 64-hex secret per inbox from the workspace secret', () => {
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    expect(inboxSecret('workspace-secret', 'inb_OTHER')).not.toBe(secret)
    expect(inboxSecret('other-secret', 'inb_TEST')).not.toBe(secret)
  })

  it('signs timestamp + "." + body as v1=<hex hmac_sha256>', () => {
    // computed independently: printf '1700000000.body' | openssl dgst -sha256 -hmac k
    expect(signWebhook('k', '1700000000', 'body')).toBe(
      'v1=75c6f5400ffe9efa801269319d42add2b0f1579efe1715c7b4eb052dd2bd4c58',
    )
  })

  it('accepts a valid signature and returns when it was signed', () => {
    const headers = signedHeaders(secret, body, clock.now())
    const verified = verifyWebhook({ secret, headers, rawBody: body, clock })
    expect(verified.signedAt.toISOString()).toBe('2026-11-25T02:00:00.000Z')
    expect(verified.signature).toBe(headers['x-agentcrm-signature'])
  })

  it('refuses a tampered body', () => {
    const headers = signedHeaders(secret, body, clock.now())
    const tampered = Buffer.from(body.toString().replace('你好', '退款'))
    expect(codeOf(() => verifyWebhook({ secret, headers, rawBody: tampered, clock }))).toBe(
      'CHANNEL_SIGNATURE_INVALID',
    )
  })

  it('refuses a signature made with another secret (another inbox)', () => {
    const headers = signedHeaders(inboxSecret('workspace-secret', 'inb_OTHER'), body, clock.now())
    expect(codeOf(() => verifyWebhook({ secret, headers, rawBody: body, clock }))).toBe(
      'CHANNEL_SIGNATURE_INVALID',
    )
  })

  it('refuses missing headers and malformed signatures', () => {
    expect(codeOf(() => verifyWebhook({ secret, headers: {}, rawBody: body, clock }))).toBe(
      'CHANNEL_SIGNATURE_MISSING',
    )
    const headers = { ...signedHeaders(secret, body, clock.now()), 'x-agentcrm-signature': 'v1=zz' }
    expect(codeOf(() => verifyWebhook({ secret, headers, rawBody: body, clock }))).toBe(
      'CHANNEL_SIGNATURE_INVALID',
    )
  })

  it('refuses a timestamp more than 5 minutes away, either way', () => {
    const old = signedHeaders(secret, body, new Date(clock.now().getTime() - 5 * 60_000 - 1_000))
    expect(codeOf(() => verifyWebhook({ secret, headers: old, rawBody: body, clock }))).toBe(
      'CHANNEL_SIGNATURE_EXPIRED',
    )
    const future = signedHeaders(secret, body, new Date(clock.now().getTime() + 6 * 60_000))
    expect(codeOf(() => verifyWebhook({ secret, headers: future, rawBody: body, clock }))).toBe(
      'CHANNEL_SIGNATURE_EXPIRED',
    )
    const edge = signedHeaders(secret, body, new Date(clock.now().getTime() - 4 * 60_000))
    expect(codeOf(() => verifyWebhook({ secret, headers: edge, rawBody: body, clock }))).toBeNull()
  })

  it('refuses a replay of an accepted delivery (409) and accepts it again once released', async () => {
    const replays = memoryReplays()
    const headers = signedHeaders(secret, body, clock.now())
    const input = { inboxId: 'inb_TEST', secret, headers, rawBody: body, clock, replays }
    const first = await acceptWebhook(input)
    await expect(acceptWebhook(input)).rejects.toMatchObject({ code: 'CHANNEL_REPLAYED', status: 409 })
    await replays.release('inb_TEST', first.signature)
    await expect(acceptWebhook(input)).resolves.toMatchObject({ signature: first.signature })
  })
})
