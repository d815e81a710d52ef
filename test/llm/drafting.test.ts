/**
 * Drafting end to end: draftReply → the OpenAI-compatible adapter → real HTTP → a fake server on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { draftReply, type DraftInput } from '../../src/agent/drafting.js'
import { fixedClock } from '../../src/core/index.js'
import { createOpenAiCompatibleModel, type OpenAiCompatibleOptions } from '../../src/llm/index.js'
import {
  completionBody,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
  type ReceivedRequest,
} from '../../src/llm/testing/fake-openai-server.js'
import { isValidCnId, luhnValid, redact, restore } from '../../src/nlp/index.js'

const INPUT: DraftInput = {
  language: 'zh',
  customerName: '王小红',
  customerText: '耳机坏了，能换货吗？',
  intent: 'return_exchange',
  fallbackReply: '您好，我们已收到您的换货申请，客服会尽快联系您。',
  passages: [
    {
      index: 1,
      externalId: 'faq-exchange',
      articleId: 'art_1',
      title: '质量问题换货',
      passage: '签收后 15 天内出现质量问题可免费换货。',
      score: 0.8,
    },
    {
      index: 2,
      externalId: 'faq-return',
      articleId: 'art_2',
      title: '退货政策',
      passage: '签收后 7 天内可无理由退货。',
      score: 0.5,
    },
  ],
  facts: ['订单 LM20261024-582130 于 11月20日 签收'],
}

const GOOD = JSON.stringify({ reply: '您好，签收后15天内出现质量问题可以免费换货。', citations: [1, 2] })

let server: FakeOpenAiServer

beforeEach(async () => {
  server = await startFakeOpenAiServer()
})
afterEach(async () => {
  await server.close()
})

function deps(options: Partial<OpenAiCompatibleOptions> = {}) {
  const model = createOpenAiCompatibleModel({
    baseUrl: server.baseUrl,
    model: 'fake-model',
    retryBaseDelayMs: 10,
    ...options,
  })
  return { model, redact, restore }
}

describe('drafting over HTTP', () => {
  it('uses a good answer, with its citations and the model it came from', async () => {
    server.enqueue({ body: completionBody(GOOD) })
    const outcome = await draftReply(INPUT, deps())
    expect(outcome.reply).toBe('您好，签收后15天内出现质量问题可以免费换货。')
    expect(outcome.citedIndexes).toEqual([1, 2])
    expect(outcome.llm).toMatchObject({ used: true, provider: 'openai-compatible', model: 'fake-model' })
    expect(outcome.llm.latencyMs).toBeGreaterThanOrEqual(0)
    expect(JSON.parse(server.requests[0].body)).toMatchObject({ response_format: { type: 'json_object' } })
  })

  it('falls back when the model answers with malformed JSON', async () => {
    server.enqueue({ body: completionBody('{"reply": "您好，可以换货", "citations": [1') })
    const outcome = await draftReply(INPUT, deps())
    expect(outcome.reply).toBe(INPUT.fallbackReply)
    expect(outcome.llm).toMatchObject({ used: false, fallbackReason: 'DRAFT_MALFORMED_JSON' })
  })

  it('falls back when the server answers with something that is not a chat completion', async () => {
    server.enqueue({ body: '<html>bad gateway</html>' })
    const outcome = await draftReply(INPUT, deps())
    expect(outcome.llm).toMatchObject({ used: false, fallbackReason: 'LLM_BAD_RESPONSE' })
  })

  it('falls back on a timeout when the server never answers', async () => {
    server.setDefault('hang')
    const started = performance.now()
    const outcome = await draftReply(INPUT, deps({ timeoutMs: 200 }))
    expect(outcome.reply).toBe(INPUT.fallbackReply)
    expect(outcome.llm).toMatchObject({ used: false, fallbackReason: 'LLM_TIMEOUT' })
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('waits out a 429 with Retry-After and then uses the answer', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { body: completionBody(GOOD) })
    const started = performance.now()
    const outcome = await draftReply(INPUT, deps())
    expect(outcome.llm.used).toBe(true)
    expect(server.requests).toHaveLength(2)
    expect(performance.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('falls back after retrying persistent 500s', async () => {
    server.setDefault({ status: 500, body: { error: { message: 'internal' } } })
    const outcome = await draftReply(INPUT, deps({ maxRetries: 2 }))
    expect(outcome.reply).toBe(INPUT.fallbackReply)
    expect(outcome.llm).toMatchObject({ used: false, fallbackReason: 'LLM_UNAVAILABLE' })
    expect(server.requests).toHaveLength(3)
  })

  it('opens the circuit after failures, stops calling, and half-opens once the cooldown has passed', async () => {
    const clock = fixedClock('2026-11-25T04:00:00.000Z')
    const dependencies = deps({ clock, maxRetries: 0, breaker: { failureThreshold: 2, cooldownMs: 30_000 } })
    server.enqueue({ status: 500 }, { status: 502 })
    expect((await draftReply(INPUT, dependencies)).llm.fallbackReason).toBe('LLM_UNAVAILABLE')
    expect((await draftReply(INPUT, dependencies)).llm.fallbackReason).toBe('LLM_UNAVAILABLE')

    const refused = await draftReply(INPUT, dependencies)
    expect(refused.llm).toMatchObject({ used: false, fallbackReason: 'LLM_CIRCUIT_OPEN' })
    expect(refused.reply).toBe(INPUT.fallbackReply)
    expect(server.requests).toHaveLength(2)

    clock.advance(30_000)
    server.enqueue({ body: completionBody(GOOD) })
    const trial = await draftReply(INPUT, dependencies)
    expect(trial.llm.used).toBe(true)
    expect(server.requests).toHaveLength(3)
    expect(dependencies.model.circuitState()).toBe('closed')
  })
})

// --- privacy ---------------------------------------------------------------------------------------------

const ID_NUMBER = '11010519491231002X'
const CARD = '4532 0151 1283 0366'
const PHONES = ['138 1234 5678', '138-1234-5678', '+86 13812345678', '+1 415 555 0134', '+44 20 7946 0958']
const EMAIL = 'Xiaohong.Wang@example.com'
/** Typed by an input method in full-width mode. */
const FULL_WIDTH_PHONE = '１３９ ８７６５ ４３２１'

/** Each secret as written, and the other ways it could leak: digits only, with a country code, lower case. */
function leakForms(secret: string): string[] {
  const digits = secret.normalize('NFKC').replace(/\D/g, '')
  const forms = [secret, secret.toLowerCase()]
  if (digits.length >= 7) forms.push(digits, secret.replace(/[\s\-().]/g, ''))
  if (/^1[3-9]\d{9}$/.test(digits)) forms.push(`+86${digits}`, `86${digits}`)
  if (secret.startsWith('+1 ')) forms.push(digits.slice(1))
  if (secret.startsWith('+44 ')) forms.push(digits.slice(2), `0${digits.slice(2)}`)
  return forms
}

/** A model that echoes back every placeholder it was sent, so the test can check they are restored. */
function echoPlaceholders(language: 'zh' | 'en') {
  return (request: ReceivedRequest) => {
    const sent = JSON.parse(request.body) as { messages: { content: string }[] }
    const found = sent.messages.flatMap((message) => message.content.match(/\[[A-Z]+_\d+\]/g) ?? [])
    const placeholders = [...new Set(found)]
    const reply =
      language === 'zh'
        ? `您好，我们已记录以下信息：${placeholders.join('、')}。签收后15天内出现质量问题可以免费换货。`
        : `Hello, we have noted: ${placeholders.join(', ')}. Faulty items can be exchanged within 15 days.`
    return { body: completionBody(JSON.stringify({ reply, citations: [1] })) }
  }
}

describe('drafting privacy', () => {
  it('uses test data that the validators accept', () => {
    expect(isValidCnId(ID_NUMBER)).toBe(true)
    expect(luhnValid(CARD.replace(/\s/g, ''))).toBe(true)
  })

  it.each([
    {
      language: 'zh' as const,
      customerName: '王小红',
      otherNames: ['Xiaohong Wang'],
      nameForms: ['王小红', '小红', 'Xiaohong Wang', 'Xiaohong', 'Wang'],
      customerText:
        `我是王小红（英文名 Xiaohong Wang），耳机坏了。手机 ${PHONES[0]}，备用 ${PHONES[1]}，` +
        `家里 ${PHONES[2]}，美国同事 ${PHONES[3]}，英国 ${PHONES[4]}，邮箱 ${EMAIL}，` +
        `身份证 ${ID_NUMBER}，退款到卡 ${CARD}，新号码${FULL_WIDTH_PHONE}。小红`,
    },
    {
      language: 'en' as const,
      customerName: 'Emily Carter',
      otherNames: ['王爱米'],
      nameForms: ['Emily Carter', 'Emily', 'Carter', '王爱米', '爱米'],
      customerText:
        `Hi, Emily Carter here (Chinese name 王爱米). My earbuds broke. Call ${PHONES[3]} or ${PHONES[4]}, ` +
        `or in China ${PHONES[0]} / ${PHONES[1]} / ${PHONES[2]}; mail ${EMAIL}; ID ${ID_NUMBER}; ` +
        `refund to card ${CARD}; new number ${FULL_WIDTH_PHONE}. Thanks, Emily`,
    },
  ])(
    'sends no personal data in any form ($language) and restores what the model echoes',
    async ({ language, customerName, otherNames, nameForms, customerText }) => {
      server.setDefault(echoPlaceholders(language))
      const input: DraftInput = {
        ...INPUT,
        language,
        customerName,
        customerText,
        knownPersonalData: { names: otherNames },
        facts: [
          `订单 LM20261024-582130 收件人 ${customerName}，电话 ${PHONES[1]}，证件 ${ID_NUMBER}`,
          `lookup_customer → {"name": "${otherNames[0]}", "phone": "${PHONES[3]}", "email": "${EMAIL.toLowerCase()}", "card": "${CARD.replace(/\s/g, '')}"}`,
          `previous message: "you can reach me at ${PHONES[4]} or ${PHONES[2]}"`,
        ],
        passages: [
          {
            ...INPUT.passages[0],
            passage: `${INPUT.passages[0].passage} 如需帮助请联系 ${customerName} 的专属顾问。`,
          },
          INPUT.passages[1],
        ],
      }
      const outcome = await draftReply(input, deps())

      expect(server.requests).toHaveLength(1)
      const body = server.requests[0].body
      const squeezed = body.replace(/[\s\-().\u00a0]/g, '')
      const secrets = [...PHONES, FULL_WIDTH_PHONE, EMAIL, ID_NUMBER, CARD]
      for (const secret of secrets) {
        for (const form of leakForms(secret)) {
          expect(body, `request leaks "${form}"`).not.toContain(form)
          expect(squeezed, `request leaks "${form}" without separators`).not.toContain(
            form.replace(/[\s\-().]/g, ''),
          )
        }
      }
      for (const name of nameForms)
        expect(body.toLowerCase(), `request leaks "${name}"`).not.toContain(name.toLowerCase())
      expect(body).toContain('LM20261024-582130')

      expect(outcome.llm.used).toBe(true)
      for (const secret of [...PHONES, FULL_WIDTH_PHONE, EMAIL, ID_NUMBER, CARD, customerName])
        expect(outcome.reply).toContain(secret)
      expect(outcome.reply).not.toMatch(/\[[A-Z]+_\d+\]/)
    },
  )
})
